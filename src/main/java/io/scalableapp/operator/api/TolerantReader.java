package io.scalableapp.operator.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a ScalableApp's spec and status as far as they can be read, and never fails. The informer
 * that serves every app deserializes every app; one body it cannot read (a string where a number
 * belongs, an object where a list does) would stop it, and with it the whole operator. Here a value
 * that cannot be read becomes null, and the spec keeps what was wrong, with its field path, for the
 * app's own status ({@link ScalableAppSpec#unreadable()}). Nothing is written back: the operator
 * writes status only.
 */
public final class TolerantReader {
  private TolerantReader() {}

  private static final String PROBLEMS = "problems";

  /** Jackson's own bean reading of the two types, without the deserializers below. */
  @JsonDeserialize(using = JsonDeserializer.None.class)
  private interface Plain {}

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .addMixIn(ScalableAppSpec.class, Plain.class)
          .addMixIn(ScalableAppStatus.class, Plain.class)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .registerModule(
              new SimpleModule()
                  .addDeserializer(
                      Integer.class, new WholeNumber<>(Integer.class, Number::intValue))
                  .addDeserializer(Long.class, new WholeNumber<>(Long.class, Number::longValue)))
          .addHandler(new Recorder());

  /**
   * An integer field: 2.5 is not an instance count (the schema would refuse it), so it is not read
   * as 2; 2.0 and "2" are.
   */
  private static final class WholeNumber<T extends Number> extends StdDeserializer<T> {
    private final Function<Number, T> convert;

    WholeNumber(Class<T> type, Function<Number, T> convert) {
      super(type);
      this.convert = convert;
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
        BigDecimal value = p.getDecimalValue();
        if (value.stripTrailingZeros().scale() > 0) {
          record(ctxt, value.toPlainString() + " is not an integer");
          return null;
        }
        return convert.apply(value);
      }
      if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
        return convert.apply(p.getNumberValue());
      }
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        try {
          return convert.apply(new BigDecimal(p.getText().trim()).toBigIntegerExact());
        } catch (ArithmeticException | NumberFormatException e) {
          record(ctxt, "'" + p.getText() + "' is not an integer");
          return null;
        }
      }
      record(ctxt, "expected an integer, got " + what(p.currentToken(), p));
      p.skipChildren();
      return null;
    }
  }

  /** {@code spec}: what cannot be read is recorded in {@link ScalableAppSpec#unreadable()}. */
  public static final class SpecDeserializer extends StdDeserializer<ScalableAppSpec> {
    public SpecDeserializer() {
      super(ScalableAppSpec.class);
    }

    @Override
    public ScalableAppSpec deserialize(JsonParser p, DeserializationContext ctxt)
        throws IOException {
      var problems = new ArrayList<String>();
      ScalableAppSpec spec = read(p.readValueAsTree(), ScalableAppSpec.class, "spec", problems);
      if (spec == null) {
        spec = new ScalableAppSpec();
      }
      spec.unreadable(problems);
      return spec;
    }
  }

  /** {@code status}: what cannot be read is dropped; the operator writes status anew. */
  public static final class StatusDeserializer extends StdDeserializer<ScalableAppStatus> {
    public StatusDeserializer() {
      super(ScalableAppStatus.class);
    }

    @Override
    public ScalableAppStatus deserialize(JsonParser p, DeserializationContext ctxt)
        throws IOException {
      return read(p.readValueAsTree(), ScalableAppStatus.class, "status", new ArrayList<>());
    }
  }

  /**
   * A copy of a resource through its JSON, as JOSDK clones each resource before reconciling it,
   * that keeps what of a ScalableApp's spec could not be read: the JSON holds the values that were
   * read, not the reasons the others were not.
   */
  public static <R extends HasMetadata> R copy(KubernetesSerialization json, R resource) {
    R copy = json.clone(resource);
    if (resource instanceof ScalableApp a
        && copy instanceof ScalableApp c
        && a.getSpec() != null
        && c.getSpec() != null) {
      c.getSpec().unreadable(a.getSpec().unreadable());
    }
    return copy;
  }

  /** The value as far as it can be read; one message per value that cannot be, with its path. */
  static <T> T read(JsonNode node, Class<T> type, String root, List<String> problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      problems.add(root + ": expected an object, got " + what(node));
      return null;
    }
    try {
      return MAPPER
          .readerFor(type)
          .withAttribute(PROBLEMS, new Problems(root, problems))
          .treeToValue(node, type);
    } catch (IOException | RuntimeException e) {
      // What the recorder could not skip: reported, the whole value unread.
      String path = e instanceof JsonMappingException m ? path(root, m.getPath()) : root;
      problems.add(path + ": " + firstLine(e.getMessage()));
      return null;
    }
  }

  private record Problems(String root, List<String> list) {}

  /** Turns each value that cannot be read into null, and records why. */
  private static final class Recorder extends DeserializationProblemHandler {
    @Override
    public Object handleWeirdStringValue(
        DeserializationContext ctxt, Class<?> targetType, String value, String failureMsg) {
      record(ctxt, "'" + value + "' is not " + expected(targetType));
      return null;
    }

    @Override
    public Object handleWeirdNumberValue(
        DeserializationContext ctxt, Class<?> targetType, Number value, String failureMsg) {
      record(ctxt, value + " is not " + expected(targetType));
      return null;
    }

    @Override
    public Object handleUnexpectedToken(
        DeserializationContext ctxt,
        JavaType targetType,
        JsonToken t,
        JsonParser p,
        String failureMsg)
        throws IOException {
      record(ctxt, "expected " + expected(targetType.getRawClass()) + ", got " + what(t, p));
      p.skipChildren();
      return null;
    }

    @Override
    public Object handleMissingInstantiator(
        DeserializationContext ctxt,
        Class<?> instClass,
        ValueInstantiator valueInsta,
        JsonParser p,
        String msg)
        throws IOException {
      record(ctxt, "expected " + expected(instClass) + ", got " + what(p.currentToken(), p));
      p.skipChildren();
      return null;
    }
  }

  private static void record(DeserializationContext ctxt, String problem) {
    var problems = (Problems) ctxt.getAttribute(PROBLEMS);
    JsonParser p = ctxt.getParser();
    JsonStreamContext at = p.getParsingContext();
    // On a list or an object, the parser already stands inside it: the field is its parent.
    if (p.currentToken() == JsonToken.START_ARRAY || p.currentToken() == JsonToken.START_OBJECT) {
      at = at.getParent();
    }
    problems.list().add(path(problems.root(), at) + ": " + problem);
  }

  private static String path(String root, JsonStreamContext context) {
    var parts = new ArrayList<String>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
      } else if (c.getCurrentName() != null) {
        parts.add(0, "." + c.getCurrentName());
      }
    }
    return root + String.join("", parts);
  }

  private static String path(String root, List<JsonMappingException.Reference> refs) {
    var out = new StringBuilder(root);
    for (var ref : refs) {
      out.append(
          ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]");
    }
    return out.toString();
  }

  private static String expected(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || !type.isEnum()) {
      return "an object";
    }
    return "one of its names";
  }

  private static String what(JsonToken t, JsonParser p) throws IOException {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "a list";
      case VALUE_STRING -> "the string '" + p.getText() + "'";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + p.getText();
      case VALUE_TRUE, VALUE_FALSE -> p.getText();
      default -> String.valueOf(t);
    };
  }

  private static String what(JsonNode node) {
    if (node.isArray()) {
      return "a list";
    }
    if (node.isTextual()) {
      return "the string '" + node.asText() + "'";
    }
    return node.isNumber() ? "the number " + node.asText() : String.valueOf(node);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "cannot be read";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
