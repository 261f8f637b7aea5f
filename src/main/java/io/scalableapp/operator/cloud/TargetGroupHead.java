package io.scalableapp.operator.cloud;

/**
 * A target group as a region-wide listing reports it: what DescribeTargetGroups returns for every
 * group in one page, without the tags, attributes and target health that each cost a call more.
 */
public record TargetGroupHead(String arn, TargetGroupConfig config) {}
