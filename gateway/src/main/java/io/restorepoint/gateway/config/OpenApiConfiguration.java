package io.restorepoint.gateway.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3 document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}), generated from
 * the controllers. Every operation gets the bearer-JWT requirement and the envelope error responses it can
 * answer, each with an example, so clients see the one error model everywhere.
 */
@Configuration
public class OpenApiConfiguration {

    private static final Map<String, Object[]> ERRORS = new LinkedHashMap<>();

    static {
        ERRORS.put("400", new Object[] {400, "Missing required parameter: created_by", "A required parameter is missing or the body is not JSON"});
        ERRORS.put("401", new Object[] {401, "Permission denied", "No token, or an expired, malformed or untrusted one (WWW-Authenticate tells which)"});
        ERRORS.put("403", new Object[] {403, "Forbidden - not a member of this project",
                "Not a member of the project, or not an admin where admins only may call"});
        ERRORS.put("404", new Object[] {404, "No such project", "Unknown path, project (for admins) or job"});
        ERRORS.put("405", new Object[] {405, "Method GET is not allowed here", "Wrong HTTP method"});
        ERRORS.put("413", new Object[] {413, "The request body is too large", "The body exceeds the configured limit"});
        ERRORS.put("415", new Object[] {415, "Send the body as application/json", "Wrong content type"});
        ERRORS.put("422", new Object[] {422, "backup version invalid",
                "An argument is invalid; application errors (1001 validation, 1003 process) also use 422"});
        ERRORS.put("500", new Object[] {500, "Internal server error", "Unexpected; the body carries a reference for the logs, never a stack trace"});
    }

    @Bean
    OpenAPI restorepointOpenApi() {
        return new OpenAPI()
                .info(new Info().title("RestorePoint API")
                        .version("1")
                        .description("Backup, restore, verify and import of MySQL-family databases as background jobs. Every answer is the "
                                + "envelope {success, result, data}; errors are {success:false, result:{code, message, info}, data:{}}. "
                                + "Authenticate with a JWT: `sub` is the user, the `roles` claim may hold `admin`."))
                .components(new Components().addSecuritySchemes("bearer", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    @Bean
    OpenApiCustomizer envelopeErrors() {
        return api -> api.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
            ERRORS.forEach((status, e) -> {
                if (operation.getResponses().containsKey(status)) {
                    return;
                }
                Map<String, Object> example = new LinkedHashMap<>();
                example.put("success", false);
                example.put("result", Map.of("code", e[0], "message", e[1], "info", Map.of()));
                example.put("data", Map.of());
                operation.getResponses().addApiResponse(status, new ApiResponse().description((String) e[2])
                        .content(new Content().addMediaType("application/json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/ErrorEnvelope")).example(example))));
            });
        }));
    }

    @Bean
    OpenApiCustomizer errorEnvelopeSchema() {
        return api -> api.getComponents().addSchemas("ErrorEnvelope", new Schema<>()
                .type("object")
                .required(List.of("success", "result", "data"))
                .addProperty("success", new Schema<>().type("boolean").example(false))
                .addProperty("result", new Schema<>().type("object")
                        .addProperty("code", new Schema<>().type("integer").description("HTTP status, or 1000-1004 (application codes on 422)"))
                        .addProperty("message", new Schema<>().type("string"))
                        .addProperty("info", new Schema<>().type("object")))
                .addProperty("data", new Schema<>().type("object").description("always {}")));
    }
}
