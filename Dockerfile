# syntax=docker/dockerfile:1
# The operator's image. Build the jar first, then the image:
#   mvn -q -DskipTests package && docker build -t ghcr.io/scalableapp/scalableapp-operator:0.1.0 .
# A JRE is enough at run time (no compiler, no Maven); Temurin 17 matches the build's Java.
FROM eclipse-temurin:17-jre

# A named user for uid 65532 (the Helm chart runs as it), with its home in /tmp: the only
# writable directory when the root filesystem is read-only (the chart mounts an emptyDir there).
# Without a passwd entry Java's user.home would be "?".
RUN groupadd --gid 65532 operator \
    && useradd --uid 65532 --gid 65532 --home-dir /tmp --no-create-home \
       --shell /usr/sbin/nologin operator

WORKDIR /app
# Owned by root and not writable by the runtime user: the process cannot change its own code.
COPY --chmod=0444 target/scalableapp-operator.jar /app/scalableapp-operator.jar

USER 65532:65532
# The heap follows the container's memory limit (the chart sets the same through the
# environment, which overrides this).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"

# METRICS_PORT's default: /metrics, /healthz, /readyz.
EXPOSE 8080

LABEL org.opencontainers.image.title="scalableapp-operator" \
      org.opencontainers.image.description="Kubernetes operator that keeps EC2 fleets matching ScalableApp resources" \
      org.opencontainers.image.version="0.1.0"

ENTRYPOINT ["java", "-jar", "/app/scalableapp-operator.jar"]
