package io.scalableapp.operator.cloud;

/**
 * How an instance refresh replaces instances (AWS RefreshPreferences).
 *
 * @param instanceWarmupSeconds null: the group's default
 */
public record RefreshPreferences(
    int minHealthyPercentage,
    int maxHealthyPercentage,
    Integer instanceWarmupSeconds,
    boolean skipMatching,
    boolean autoRollback) {}
