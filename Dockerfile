# One image per service: docker build --build-arg MODULE=gateway -t restorepoint/gateway .
# Build the jars first: mvn -DskipTests package
FROM eclipse-temurin:17-jre
ARG MODULE
# curl for the compose health checks (GET /actuator/health/readiness)
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 restorepoint \
    && mkdir -p /var/lib/restorepoint/store && chown restorepoint /var/lib/restorepoint/store
COPY ${MODULE}/target/${MODULE}-exec.jar /app/app.jar
USER restorepoint
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
