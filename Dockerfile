# One image per service: docker build --build-arg MODULE=gateway -t restorepoint/gateway .
# Build the jars first: mvn -DskipTests package
FROM eclipse-temurin:17-jre
ARG MODULE
RUN useradd --system --uid 10001 restorepoint
COPY ${MODULE}/target/${MODULE}-exec.jar /app/app.jar
USER restorepoint
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
