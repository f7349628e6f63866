package ai.fastvsr.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A job as published on the job topic (DESIGN.md section 3). Validated against {@code schemas/job-request.schema.json}
 * before it becomes one of these; unknown fields are ignored so producers can be newer than the worker.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobRequest(
        String jobId,
        ObjectRef input,
        ObjectRef output,
        String model,
        Integer scale,
        Encode encode,
        Map<String, Object> userMetadata) {

    public JobRequest {
        userMetadata = userMetadata == null ? Map.of() : Map.copyOf(userMetadata);
        encode = encode == null ? Encode.DEFAULT : encode;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ObjectRef(String uri, String versionId) {
        public S3Location location() {
            return S3Location.parse(uri);
        }
    }

    /** Output encoding wishes; anything left out takes the worker's defaults. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Encode(String codec, Integer crf, String preset, String pixFmt, Long bitrate) {
        public static final Encode DEFAULT = new Encode(null, null, null, null, null);
    }
}
