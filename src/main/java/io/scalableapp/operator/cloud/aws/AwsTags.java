package io.scalableapp.operator.cloud.aws;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tag mappers for the three AWS services' tag types. */
final class AwsTags {
  private AwsTags() {}

  static Map<String, String> fromEc2(List<software.amazon.awssdk.services.ec2.model.Tag> tags) {
    var map = new LinkedHashMap<String, String>();
    tags.forEach(t -> map.put(t.key(), t.value()));
    return map;
  }

  static List<software.amazon.awssdk.services.ec2.model.Tag> toEc2(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(
            e ->
                software.amazon.awssdk.services.ec2.model.Tag.builder()
                    .key(e.getKey())
                    .value(e.getValue())
                    .build())
        .toList();
  }

  static List<software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag> toElb(
      Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(
            e ->
                software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag.builder()
                    .key(e.getKey())
                    .value(e.getValue())
                    .build())
        .toList();
  }

  static Map<String, String> fromElb(
      List<software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag> tags) {
    var map = new LinkedHashMap<String, String>();
    tags.forEach(t -> map.put(t.key(), t.value()));
    return map;
  }
}
