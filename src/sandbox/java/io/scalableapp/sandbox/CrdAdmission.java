package io.scalableapp.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.HttpURLConnection;
import java.util.List;

/**
 * The embedded API's admission of a custom resource, as the API server's: the object a write would
 * store is checked with its CRD ({@link CrdValidator}) and refused with the API server's status
 * (422 Invalid with a cause per field error; 400 for unknown fields under {@code
 * fieldValidation=Strict}), or stored pruned, with a {@code Warning} per unknown field unless
 * {@code fieldValidation=Ignore}. {@link RfcCrudDispatcher} calls it on every write.
 */
final class CrdAdmission {
  private CrdAdmission() {}

  /** What is stored, and the warnings to send with the answer. */
  record Admitted(JsonNode object, List<String> warnings) {
    MockResponse warn(MockResponse response) {
      if (response.code() < 300) {
        // RFC 7234's warn-code 299, the API server's for every warning.
        warnings.forEach(
            w -> response.addHeader("Warning", "299 - \"" + w.replace("\"", "\\\"") + "\""));
      }
      return response;
    }
  }

  /** A refusal in the API server's words, with its causes (the stock exception has none). */
  private static final class Refused extends KubernetesCrudDispatcherException {
    private final transient Status status;

    Refused(Status status) {
      super(status.getMessage(), status.getCode());
      this.status = status;
    }

    @Override
    public Status toStatus() {
      return status;
    }
  }

  /**
   * The object to store for a write of {@code object} over {@code stored} (null on a create).
   *
   * @throws KubernetesCrudDispatcherException the API server's refusal
   */
  static Admitted admit(
      CrdValidator validator, RecordedRequest request, JsonNode object, JsonNode stored)
      throws KubernetesCrudDispatcherException {
    String name = object.path("metadata").path("name").asText("");
    CrdValidator.Pruned pruned = validator.prune(object);
    List<String> unknown = pruned.unknownFields();
    String mode = RfcCrudDispatcher.queryParameter(request.getPath(), "fieldValidation");
    if (!unknown.isEmpty() && "Strict".equals(mode)) {
      throw new Refused(
          new StatusBuilder()
              .withStatus("Failure")
              .withReason("BadRequest")
              .withMessage(validator.strictDecodingMessage(unknown))
              .withCode(HttpURLConnection.HTTP_BAD_REQUEST)
              .build());
    }
    List<CrdValidator.FieldError> errors = validator.validate(pruned.object(), stored);
    if (!errors.isEmpty()) {
      throw new Refused(
          new StatusBuilder()
              .withStatus("Failure")
              .withReason("Invalid")
              .withMessage(validator.invalidMessage(name, errors))
              .withNewDetails()
              .withName(name)
              .withGroup(validator.group())
              .withKind(validator.kind())
              .withCauses(
                  errors.stream()
                      .map(e -> new StatusCause(e.field(), e.message(), e.reason()))
                      .toList())
              .endDetails()
              .withCode(422)
              .build());
    }
    return new Admitted(
        pruned.object(),
        "Ignore".equals(mode)
            ? List.of()
            : unknown.stream().map(f -> "unknown field \"" + f + "\"").toList());
  }
}
