package io.scalableapp.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A custom resource checked as the API server checks it, from its CRD: the openAPIV3Schema as JSON
 * Schema (networknt's validator: a structural schema's keywords are draft 4's), every {@code
 * x-kubernetes-validations} CEL rule at its location (cel-java; transition rules, those naming
 * {@code oldSelf}, only on an update of a value that was there), {@code x-kubernetes-list-type:
 * map} keys unique, and fields the schema does not declare found (and pruned) as the API server
 * prunes them. Errors are worded as the API server words them ({@code spec.capacity: Invalid value:
 * "object": ...}). The sandbox's embedded API applies it on create, update and patch, and
 * CrdValidationTest checks the CRD's rules with it.
 */
public final class CrdValidator {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String VALIDATIONS = "x-kubernetes-validations";
  private static final Set<String> ROOT = Set.of("apiVersion", "kind", "metadata");

  /**
   * Schema errors after which the API server does not run the CEL rules (its hasBlockingErr: a rule
   * could not be evaluated on a value of the wrong shape).
   */
  private static final Set<String> BLOCKING =
      Set.of(
          "FieldValueRequired",
          "FieldValueNotSupported",
          "FieldValueTooLong",
          "FieldValueTooMany",
          "FieldValueTypeInvalid");

  /** A field error as the API server reports it (k8s.io/apimachinery's field.Error). */
  public record FieldError(String field, String reason, String message) {
    @Override
    public String toString() {
      return field + ": " + message;
    }

    static FieldError invalid(String field, JsonNode value, String detail) {
      return new FieldError(field, "FieldValueInvalid", "Invalid value: " + shown(value) + detail);
    }

    static FieldError required(String field) {
      return new FieldError(field, "FieldValueRequired", "Required value");
    }

    /** The bad value as the API server prints it: strings quoted, numbers and booleans bare. */
    private static String shown(JsonNode value) {
      if (value == null || value.isNull() || value.isMissingNode()) {
        return "\"null\": "; // Go prints a nil value as the string "null"
      }
      if (value.isTextual()) {
        return '"' + value.asText().replace("\"", "\\\"") + "\": ";
      }
      return (value.isValueNode() ? value.asText() : value.toString()) + ": ";
    }
  }

  private final String kind;
  private final String plural;
  private final String group;
  private final String version;
  private final JsonNode schema;
  private final JsonSchema jsonSchema;
  private final Cel cel;
  private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

  private CrdValidator(JsonNode crd) {
    JsonNode served = crd.at("/spec/versions/0");
    this.kind = crd.at("/spec/names/kind").asText();
    this.plural = crd.at("/spec/names/plural").asText();
    this.group = crd.at("/spec/group").asText();
    this.version = served.path("name").asText();
    this.schema = served.at("/schema/openAPIV3Schema");
    if (!schema.isObject()) {
      throw new IllegalArgumentException("the CRD has no openAPIV3Schema");
    }
    // The x-kubernetes-* extensions are the API server's, not JSON Schema's: they are read here.
    this.jsonSchema =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
            .getSchema(withoutKubernetesExtensions(schema));
    // The API server types self from the schema; dyn is enough here because the values are built
    // from the schema's types (integer -> int, number -> double), which is what the rules see.
    this.cel =
        CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();
  }

  /** From a CRD (its first version). */
  public static CrdValidator of(JsonNode crd) {
    return new CrdValidator(crd);
  }

  /** {@code ScalableApp.scalableapp.io "NAME" is invalid: ...}, the API server's 422 message. */
  public String invalidMessage(String name, List<FieldError> errors) {
    String all = errors.stream().map(FieldError::toString).collect(Collectors.joining(", "));
    return "%s.%s \"%s\" is invalid: %s"
        .formatted(kind, group, name, errors.size() == 1 ? all : "[" + all + "]");
  }

  /** The API server's 400 message for unknown fields under {@code fieldValidation=Strict}. */
  public String strictDecodingMessage(List<String> unknownFields) {
    return "%s in version \"%s\" cannot be handled as a %s: strict decoding error: %s"
        .formatted(
            kind,
            version,
            kind,
            unknownFields.stream()
                .map(f -> "unknown field \"" + f + "\"")
                .collect(Collectors.joining(", ")));
  }

  public String kind() {
    return kind;
  }

  public String group() {
    return group;
  }

  public String plural() {
    return plural;
  }

  /** The object's errors on a create. */
  public List<FieldError> validate(JsonNode object) {
    return validate(object, null);
  }

  /**
   * The object's errors: on an update, {@code old} is the stored object and transition rules run
   * too; on a create it is null.
   */
  public List<FieldError> validate(JsonNode object, JsonNode old) {
    List<FieldError> errors = new ArrayList<>();
    for (ValidationMessage m : jsonSchema.validate(object)) {
      errors.add(schemaError(m));
    }
    boolean blocked = errors.stream().anyMatch(e -> BLOCKING.contains(e.reason()));
    walk(schema, object, old, "", !blocked, errors);
    if (blocked) {
      errors.add(
          new FieldError(
              "<nil>",
              "FieldValueInvalid",
              "Invalid value: \"null\": some validation rules were not checked because the"
                  + " object was invalid; correct the existing errors to complete validation"));
    }
    return errors;
  }

  /** Every CEL rule of the schema, compiled (the API server refuses a CRD whose rule does not). */
  public List<String> rules() {
    List<String> rules = new ArrayList<>();
    collectRules(schema, rules);
    rules.forEach(this::program);
    return rules;
  }

  /**
   * The object as the API server stores a custom resource: a copy without the fields the schema
   * does not declare (metadata aside: it is ObjectMeta's) and without nulls where the schema does
   * not say nullable; with the paths of the fields it dropped as unknown.
   */
  public record Pruned(JsonNode object, List<String> unknownFields) {}

  public Pruned prune(JsonNode object) {
    JsonNode copy = object.deepCopy();
    List<String> unknown = new ArrayList<>();
    prune(schema, copy, "", unknown);
    return new Pruned(copy, List.copyOf(unknown));
  }

  // --- schema errors

  private FieldError schemaError(ValidationMessage m) {
    String field = fieldPath(m.getInstanceLocation());
    JsonNode value = m.getInstanceNode();
    JsonNode limit = number(m.getSchemaNode());
    String in = field + " in body ";
    return switch (m.getType()) {
      case "required" -> FieldError.required(join(field, m.getProperty()));
      case "enum" ->
          new FieldError(
              field,
              "FieldValueNotSupported",
              "Unsupported value: "
                  + FieldError.shown(value)
                  + "supported values: "
                  + stream(limit)
                      .map(v -> '"' + v.asText() + '"')
                      .collect(Collectors.joining(", ")));
      case "maxLength" ->
          new FieldError(
              field, "FieldValueTooLong", "Too long: may not be more than " + limit + " bytes");
      case "maxItems", "maxProperties" ->
          new FieldError(
              field,
              "FieldValueTooMany",
              "Too many: " + value.size() + ": must have at most " + limit + " items");
      case "type" ->
          new FieldError(
              field,
              "FieldValueTypeInvalid",
              "Invalid value: \"%s\": %smust be of type %s: \"%s\""
                  .formatted(typeOf(value), in, limit.asText(), typeOf(value)));
      case "minimum" ->
          FieldError.invalid(field, value, in + "should be greater than or equal to " + limit);
      case "maximum" ->
          FieldError.invalid(field, value, in + "should be less than or equal to " + limit);
      case "pattern" ->
          FieldError.invalid(field, value, in + "should match '" + limit.asText() + "'");
      case "minLength" ->
          FieldError.invalid(field, value, in + "should be at least " + limit + " chars long");
      case "minItems" ->
          FieldError.invalid(
              field,
              JsonNodeFactory.instance.numberNode(value.size()),
              in + "should have at least " + limit + " items");
      case "minProperties" ->
          FieldError.invalid(
              field,
              JsonNodeFactory.instance.numberNode(value.size()),
              in + "should have at least " + limit + " properties");
      case "format" ->
          FieldError.invalid(
              field, value, in + "must be of type " + limit.asText() + ": " + value.toString());
      default -> FieldError.invalid(field, value, m.getMessage());
    };
  }

  /** A limit as Go's %v prints it: 0, not the 0.0 the generated CRD writes. */
  private static JsonNode number(JsonNode limit) {
    if (limit != null && limit.isFloatingPointNumber() && limit.asDouble() == limit.asLong()) {
      return JsonNodeFactory.instance.numberNode(limit.asLong());
    }
    return limit;
  }

  private static String join(String parent, String child) {
    return parent.isEmpty() ? child : parent + "." + child;
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> values = new ArrayList<>();
    array.forEach(values::add);
    return values.stream();
  }

  private static String typeOf(JsonNode value) {
    if (value.isIntegralNumber()) {
      return "integer";
    }
    if (value.isNumber()) {
      return "number";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isArray()) {
      return "array";
    }
    return value.isNull() ? "null" : "object";
  }

  /** The API server's field path: {@code spec.subnetIds[1]}, map keys as {@code tags[key]}. */
  private String fieldPath(JsonNodePath location) {
    StringBuilder path = new StringBuilder();
    JsonNode at = schema;
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        path.append('[').append(index).append(']');
        at = at.path("items");
      } else {
        String key = String.valueOf(element);
        if (at.path("properties").has(key)) {
          path.append(path.length() == 0 ? "" : ".").append(key);
          at = at.path("properties").path(key);
        } else {
          path.append('[').append(key).append(']');
          at = at.path("additionalProperties");
        }
      }
    }
    return path.toString();
  }

  // --- CEL rules and list-map keys

  private static boolean absent(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode();
  }

  private void walk(
      JsonNode at, JsonNode value, JsonNode old, String path, boolean rules, List<FieldError> out) {
    if (absent(value)) {
      return; // As in Kubernetes: no rule runs on an absent optional field.
    }
    for (JsonNode validation : rules ? at.path(VALIDATIONS) : YAML.missingNode()) {
      String rule = validation.path("rule").asText();
      boolean transition = rule.contains("oldSelf");
      if (transition && absent(old)) {
        continue; // A transition rule runs only on an update of a value that was there.
      }
      String type = at.path("type").asText("object");
      Object result;
      try {
        Map<String, Object> vars = new HashMap<>();
        vars.put("self", toCel(at, value));
        if (transition) {
          vars.put("oldSelf", toCel(at, old));
        }
        result = program(rule).eval(vars);
      } catch (CelEvaluationException e) {
        out.add(
            FieldError.invalid(
                path,
                JsonNodeFactory.instance.textNode(type),
                e.getMessage() + " evaluating rule: " + rule));
        continue;
      }
      if (!Boolean.TRUE.equals(result)) {
        out.add(
            FieldError.invalid(
                path,
                JsonNodeFactory.instance.textNode(type),
                validation.path("message").asText("failed rule: " + rule)));
      }
    }
    if (value.isObject()) {
      for (Map.Entry<String, JsonNode> f : value.properties()) {
        boolean declared = at.path("properties").has(f.getKey());
        JsonNode child = childSchema(at, f.getKey());
        if (child != null) {
          walk(
              child,
              f.getValue(),
              old == null ? null : old.get(f.getKey()),
              declared ? join(path, f.getKey()) : path + "[" + f.getKey() + "]",
              rules,
              out);
        }
      }
    } else if (value.isArray() && at.has("items")) {
      duplicateKeys(at, value, path, out);
      for (int i = 0; i < value.size(); i++) {
        // List items have no identity to compare across an update here: no transition rules.
        walk(at.get("items"), value.get(i), null, path + "[" + i + "]", rules, out);
      }
    }
  }

  /** {@code x-kubernetes-list-type: map}: no two items with the same keys. */
  private static void duplicateKeys(JsonNode at, JsonNode list, String path, List<FieldError> out) {
    if (!"map".equals(at.path("x-kubernetes-list-type").asText())) {
      return;
    }
    Set<Map<String, String>> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Map<String, String> key = new LinkedHashMap<>();
      for (JsonNode k : at.path("x-kubernetes-list-map-keys")) {
        key.put(k.asText(), list.get(i).path(k.asText()).asText());
      }
      if (!seen.add(key)) {
        out.add(
            new FieldError(
                path + "[" + i + "]",
                "FieldValueDuplicate",
                // The key as Go's %#v prints the map the API server compares.
                "Duplicate value: map[string]interface {}"
                    + key.entrySet().stream()
                        .map(e -> '"' + e.getKey() + "\":\"" + e.getValue() + '"')
                        .collect(Collectors.joining(", ", "{", "}"))));
      }
    }
  }

  private static JsonNode childSchema(JsonNode at, String key) {
    if (at.path("properties").has(key)) {
      return at.path("properties").get(key);
    }
    return at.path("additionalProperties").isObject() ? at.get("additionalProperties") : null;
  }

  /** The value as CEL sees it: the schema's integer is int (Long), its number double. */
  private static Object toCel(JsonNode at, JsonNode value) {
    if (value.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> f : value.properties()) {
        if (!f.getValue().isNull()) {
          JsonNode child = childSchema(at, f.getKey());
          map.put(f.getKey(), toCel(child == null ? YAML.missingNode() : child, f.getValue()));
        }
      }
      return map;
    }
    if (value.isArray()) {
      List<Object> list = new ArrayList<>();
      value.forEach(v -> list.add(toCel(at.path("items"), v)));
      return list;
    }
    if (value.isNumber()) {
      boolean integer =
          "integer".equals(at.path("type").asText())
              || (!"number".equals(at.path("type").asText()) && value.isIntegralNumber());
      return integer ? (Object) value.asLong() : (Object) value.asDouble();
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    if (value.isNull()) {
      return NullValue.NULL_VALUE; // e.g. a null list item, which the schema rejects anyway
    }
    return value.asText();
  }

  private CelRuntime.Program program(String rule) {
    return programs.computeIfAbsent(
        rule,
        r -> {
          try {
            return cel.createProgram(cel.compile(r).getAst());
          } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException(
                "CEL rule does not compile: " + r + "\n" + e.getMessage(), e);
          }
        });
  }

  private static void collectRules(JsonNode at, List<String> out) {
    at.path(VALIDATIONS).forEach(v -> out.add(v.path("rule").asText()));
    at.path("properties").forEach(p -> collectRules(p, out));
    if (at.path("items").isObject()) {
      collectRules(at.get("items"), out);
    }
    if (at.path("additionalProperties").isObject()) {
      collectRules(at.get("additionalProperties"), out);
    }
  }

  // --- pruning

  private static void prune(JsonNode at, JsonNode value, String path, List<String> unknown) {
    if (value instanceof ObjectNode object) {
      if (at.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
        return;
      }
      List<String> drop = new ArrayList<>();
      for (Map.Entry<String, JsonNode> f : object.properties()) {
        String key = f.getKey();
        if (path.isEmpty() && ROOT.contains(key)) {
          continue; // The API server's own fields of every object, not the CRD's schema's.
        }
        JsonNode child = childSchema(at, key);
        boolean declared = at.path("properties").has(key);
        String childPath = declared || child == null ? join(path, key) : path + "[" + key + "]";
        if (child == null) {
          drop.add(key);
          unknown.add(childPath);
        } else if (f.getValue().isNull() && !child.path("nullable").asBoolean(false)) {
          drop.add(key);
        } else {
          prune(child, f.getValue(), childPath, unknown);
        }
      }
      object.remove(drop);
    } else if (value != null && value.isArray() && at.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        prune(at.get("items"), value.get(i), path + "[" + i + "]", unknown);
      }
    }
  }

  private static JsonNode withoutKubernetesExtensions(JsonNode schema) {
    JsonNode copy = schema.deepCopy();
    stripExtensions(copy);
    return copy;
  }

  private static void stripExtensions(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> extensions = new ArrayList<>();
      object
          .fieldNames()
          .forEachRemaining(
              n -> {
                if (n.startsWith("x-kubernetes-")) {
                  extensions.add(n);
                }
              });
      object.remove(extensions);
    }
    // Property names are never x-kubernetes-*, so walking every child is safe.
    node.forEach(CrdValidator::stripExtensions);
  }
}
