package io.restorepoint.schemas.job;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A value of the global change stream topic. The {@code type} property names the event type with
 * a stable token (never a Java class name); its CloudEvents {@code ce_type} header says the same.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JobEvent.class, name = JobEvent.TYPE),
        @JsonSubTypes.Type(value = ProjectChanged.class, name = ProjectChanged.TYPE)})
public sealed interface CcEvent permits JobEvent, ProjectChanged {

    int schemaVersion();

    /** The record key. */
    String key();

    /** The project the event concerns, used to filter feeds. */
    String project();
}
