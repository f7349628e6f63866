package ai.fastvsr.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.events.ColorSummary;
import ai.fastvsr.events.CompletedData.Rendition;
import ai.fastvsr.events.EventType;
import ai.fastvsr.events.JobEvents;
import ai.fastvsr.events.JobResult;
import ai.fastvsr.events.MediaSummary;
import ai.fastvsr.events.WorkerInfo;
import ai.fastvsr.failure.ErrorCode;
import ai.fastvsr.failure.Failure;
import ai.fastvsr.failure.Phase;
import ai.fastvsr.job.CrashLoop;
import ai.fastvsr.job.CrashedAttempt;
import ai.fastvsr.job.DeadLetterRef;
import ai.fastvsr.job.JobRequest;
import ai.fastvsr.job.JobRequest.ObjectRef;
import ai.fastvsr.job.PoisonMessage;
import ai.fastvsr.worker.WorkerSettings.Topics;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/asyncapi.yaml is what MAM teams code against. This test holds it to the code: its structure and references
 * resolve, its enums are the Java enums, and the events the worker's own {@link JobEvents} builds, serialised the
 * way they go on the wire, validate against its messages. Renaming, dropping or adding a field without updating the
 * contract fails here.
 */
class AsyncApiContractTest {
    private static final Path ASYNCAPI = Path.of("docs/asyncapi.yaml");
    private static final Path SCHEMAS = Path.of("src/main/resources/schemas");

    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    /** Keywords our schemas may use; anything else in a schema position is a typo (2020-12 would ignore it). */
    private static final Set<String> KEYWORDS = Set.of(
            "$schema",
            "$id",
            "$ref",
            "$defs",
            "title",
            "description",
            "type",
            "required",
            "properties",
            "additionalProperties",
            "items",
            "minItems",
            "enum",
            "const",
            "pattern",
            "minimum",
            "maximum",
            "maxLength",
            "maxProperties",
            "format",
            "allOf",
            "oneOf");

    // AsyncAPI's own fields (channels, bindings, ...) sit around the schemas: not keywords, not worth a warning
    private final JsonSchemaFactory factory = JsonSchemaFactory.builder(
                    JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012))
            .metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                    .unknownKeywordFactory((keyword, context) -> new AnnotationKeyword(keyword))
                    .build())
            .build();
    private final JobEvents events =
            new JobEvents(json, new WorkerInfo("gpu-node-3", "OnnxRuntime", "cpu", "reference-x4", "1"));
    private final JobRequest job = new JobRequest(
            "cam7-000042",
            new ObjectRef("s3://ingest/cam7/seg-42.mp4", "v1"),
            new ObjectRef("s3://renditions/cam7/seg-42.x4.mp4", null),
            "reference-x4",
            4,
            null,
            Map.of("assetId", "A-77", "workflowId", "wf-9"));

    // ---- (1) the document's structure ----

    @Test
    void declaresTheThreeTopicsOfTheWorker() throws IOException {
        JsonNode doc = doc();
        assertEquals("2.6.0", doc.path("asyncapi").asText());
        Set<String> channels = new TreeSet<>();
        doc.path("channels").fieldNames().forEachRemaining(channels::add);
        Topics t = Topics.DEFAULT;
        assertEquals(new TreeSet<>(List.of(t.jobs(), t.events(), t.deadLetters())), channels);
        for (String name : channels) {
            JsonNode channel = doc.path("channels").path(name);
            assertEquals(
                    name, channel.path("bindings").path("kafka").path("topic").asText(), name + " kafka binding");
            assertTrue(channel.has("publish") ^ channel.has("subscribe"), name + ": one operation");
        }
        // producers publish jobs; everything else is for subscribers
        assertTrue(doc.at("/channels/vsr.jobs/publish/message").isObject());
        assertTrue(doc.at("/channels/vsr.events/subscribe/message/oneOf").isArray());
    }

    @Test
    void everyReferenceResolves() throws IOException {
        JsonNode doc = doc();
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertTrue(refs.size() >= 10, "refs found: " + refs);
        for (String ref : refs) {
            JsonNode target = resolve(doc, ref);
            assertFalse(target.isMissingNode(), "unresolved $ref " + ref);
            if (!ref.startsWith("#")) {
                // an external ref is a payload schema: it must itself be a valid 2020-12 schema
                Set<ValidationMessage> errors = metaSchema().validate(target);
                assertTrue(errors.isEmpty(), ref + " is not a valid JSON Schema: " + errors);
            }
        }
    }

    @Test
    void schemasUseOnlyKnownKeywords() throws IOException {
        JsonNode doc = doc();
        List<String> typos = new ArrayList<>();
        checkKeywords(doc.at("/components/schemas/CloudEvent"), "CloudEvent", typos);
        doc.path("components")
                .path("messages")
                .fields()
                .forEachRemaining(m -> checkKeywords(m.getValue().path("payload"), m.getKey() + "/payload", typos));
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            for (Path file : files.toList()) {
                checkKeywords(json.readTree(file.toFile()), file.getFileName().toString(), typos);
            }
        }
        assertTrue(typos.isEmpty(), "unknown schema keywords: " + typos);
        List<String> planted = new ArrayList<>();
        checkKeywords(json.readTree("{\"type\":\"object\",\"requried\":[\"a\"]}"), "planted", planted);
        assertEquals(List.of("planted/requried"), planted, "the keyword check itself works");
    }

    @Test
    void everyEventTypeHasExactlyOneMessageAndEverySchemaIsUsed() throws IOException {
        JsonNode doc = doc();
        Map<String, String> typeToMessage = new LinkedHashMap<>();
        for (JsonNode ref : doc.at("/channels/vsr.events/subscribe/message/oneOf")) {
            JsonNode message = resolve(doc, ref.path("$ref").asText());
            assertEquals(
                    "application/cloudevents+json", message.path("contentType").asText());
            String type = message.at("/payload/allOf/1/properties/type/const").asText();
            assertTrue(typeToMessage.put(type, ref.path("$ref").asText()) == null, "duplicate message for " + type);
        }
        Set<String> javaTypes =
                Arrays.stream(EventType.values()).map(EventType::type).collect(Collectors.toSet());
        assertEquals(javaTypes, typeToMessage.keySet());

        // the job message is the very file the worker validates jobs with, not a copy
        assertEquals(
                "../src/main/resources/schemas/job-request.schema.json",
                doc.at("/components/messages/JobRequested/payload/$ref").asText());

        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            for (Path file : files.toList()) {
                String rel = "../" + SCHEMAS.resolve(file.getFileName());
                assertTrue(refs.contains(rel), file + " is not part of docs/asyncapi.yaml");
            }
        }
    }

    @Test
    void schemaEnumsAreTheJavaEnums() throws IOException {
        Set<String> codes = Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toSet());
        assertEquals(codes, enumOf(schema("event-failed"), "/properties/errorCode/enum"));
        Set<String> phases = Arrays.stream(Phase.values()).map(Enum::name).collect(Collectors.toSet());
        assertEquals(phases, enumOf(schema("event-failed"), "/properties/failedPhase/enum"));
        assertEquals(phases, enumOf(schema("event-progress"), "/properties/phase/enum"));
        // the dead-letter topic carries poison messages and quarantined jobs
        assertEquals(
                Set.of(ErrorCode.INVALID_JOB.name(), ErrorCode.CRASH_LOOP.name()),
                enumOf(doc(), "/components/messages/DeadLetter/headers/properties/fastvsr.error.code/enum"));
    }

    // ---- (2) real events against the document ----

    @Test
    void acceptedEventsMatchTheContract() throws IOException {
        assertConforms("JobAccepted", "event-accepted", wire(events.accepted(job)));
    }

    @Test
    void completedEventsMatchTheContract() throws IOException {
        assertConforms("JobCompleted", "event-completed", wire(events.completed(job, result(null))));
        assertConforms("JobCompleted", "event-completed", wire(events.completed(job, result("3HL4kqtJlcpXroDTDmJ"))));
    }

    @Test
    void failedEventsOfEveryKindMatchTheContract() throws IOException {
        assertConforms(
                "JobFailed",
                "event-failed",
                wire(events.failed(
                        job,
                        new Failure(ErrorCode.INPUT_NOT_FOUND, false, Phase.DOWNLOADING, "NoSuchKey", null),
                        null)));
        assertConforms(
                "JobFailed",
                "event-failed",
                wire(events.failed(
                        job,
                        new Failure(ErrorCode.GPU_OUT_OF_MEMORY, true, Phase.INFERENCE, "GPU out of memory", null),
                        null)));
        assertConforms("JobFailed", "event-failed", wire(events.failed(job, new IllegalStateException("boom"), null)));
        assertConforms(
                "JobFailed",
                "event-failed",
                wire(events.failed(null, new PoisonMessage("job does not match the schema", "j-2", null), null)));
    }

    @Test
    void crashLoopEventsMatchTheContract() throws IOException {
        List<CrashedAttempt> attempts = List.of(
                new CrashedAttempt("gpu-node-1", "2026-11-25T10:00:00.123Z"),
                new CrashedAttempt("gpu-node-2", "2026-11-25T09:59:58Z"),
                new CrashedAttempt("gpu-node-3", "2026-11-25T10:01:30.5Z"));
        CrashLoop fresh = CrashLoop.quarantine(job.jobId(), attempts);
        fresh.deadLettered(new DeadLetterRef("vsr.jobs.dlq", 2, 41));
        JsonNode event = wire(events.failed(job, fresh, null));
        assertConforms("JobFailed", "event-failed", event);
        assertEquals("CRASH_LOOP", event.at("/data/errorCode").asText());
        assertEquals(3, event.at("/data/crashedAttempts").size());
        assertEquals(41, event.at("/data/deadLetter/offset").asLong());
        assertConforms(
                "JobFailed",
                "event-failed",
                wire(events.failed(
                        job,
                        CrashLoop.alreadyQuarantined(job.jobId(), attempts, new DeadLetterRef("vsr.jobs.dlq", 2, 41)),
                        null)));
        // the fields are CRASH_LOOP's alone: other failures do not carry them, not even as nulls
        JsonNode other = wire(events.failed(job, new IllegalStateException("boom"), null));
        assertFalse(
                other.path("data").has("crashedAttempts") || other.path("data").has("deadLetter"), other::toString);
    }

    @Test
    void jobRequestsAsPublishedMatchTheContract() throws IOException {
        // JobPublisher writes the record with this mapper: what a producer following the contract sends
        JsonNode published = json.valueToTree(job);
        Set<ValidationMessage> errors = message("JobRequested").validate(published);
        assertTrue(errors.isEmpty(), errors::toString);
    }

    @Test
    void splitParentsChildrenAndJoinsMatchTheContract() throws IOException {
        JobRequest parent = job.withSplit(new JobRequest.Split(30, 8));
        String manifest = "s3://renditions/fastvsr-splits/cam7-000042/manifest.json";
        JobRequest child = parent.child(
                "cam7-000042.s0003",
                new JobRequest.ObjectRef("s3://renditions/fastvsr-splits/cam7-000042/segments/s0003.mp4", null),
                new JobRequest.ObjectRef("s3://renditions/fastvsr-splits/cam7-000042/renditions/s0003.mp4", null),
                new JobRequest.Range(12, 720, 8, 48, "24000/1001"),
                new JobRequest.Parent(parent.jobId(), 3, 9, manifest));
        JobRequest join = parent.joining(new JobRequest.Join(manifest, 9));
        for (JobRequest j : List.of(parent, child, join)) {
            Set<ValidationMessage> errors = message("JobRequested").validate(json.valueToTree(j));
            assertTrue(errors.isEmpty(), () -> j.jobId() + ": " + errors);
        }
        assertTrue(parent.splitsInput() && !child.splitsInput() && !join.splitsInput());
        // the parent's progress (segments), its join's progress instead of a second accepted, its completed event
        // listing the children, and its failure naming the segment
        JsonNode progress = wire(events.segments(parent, Phase.INFERENCE, 9, 4));
        assertConforms("JobProgress", "event-progress", progress);
        assertEquals(9, progress.at("/data/segments").asInt());
        assertEquals(4, progress.at("/data/segmentsDone").asInt());
        JsonNode joining = wire(events.accepted(join));
        assertConforms("JobProgress", "event-progress", joining);
        assertEquals("JOINING", joining.at("/data/phase").asText());
        JobResult joined = result(null);
        JobResult withSegments = new JobResult(
                joined.output(),
                joined.input(),
                joined.timingsMs(),
                false,
                List.of(new JobResult.SegmentOutput(3, child.jobId(), 2160, joined.output())));
        JsonNode completed = wire(events.completed(parent, withSegments));
        assertConforms("JobCompleted", "event-completed", completed);
        assertEquals(2160, completed.at("/data/segments/0/firstFrame").asLong());
        assertConforms(
                "JobFailed",
                "event-failed",
                wire(events.failed(
                        parent,
                        new Failure(
                                ErrorCode.CORRUPT_MEDIA,
                                false,
                                Phase.DECODING,
                                "segment 3 of 9 (job cam7-000042.s0003) failed: junk",
                                null),
                        null)));
    }

    @Test
    void progressSampleMatchesTheContract() throws IOException {
        // no progress producer in this branch yet: a sample shaped like DESIGN §4, so the schema at least parses
        // and accepts what it documents (switch to the real producer once it exists)
        ObjectNode event = (ObjectNode) wire(events.accepted(job));
        event.put("type", EventType.PROGRESS.type());
        event.set("data", json.readTree("""
                {"jobId":"cam7-000042","phase":"INFERENCE","percent":41.5,"framesDone":120,"framesTotal":290,
                 "fps":23.9,"etaMs":7100,"worker":{"host":"h","engine":"OnnxRuntime","device":"cpu",
                 "model":"reference-x4","modelVersion":"1"},"userMetadata":{"assetId":"A-77"}}"""));
        assertConforms("JobProgress", "event-progress", event);
        ((ObjectNode) event.get("data")).putNull("framesTotal").put("phase", "DOWNLOADING");
        assertConforms("JobProgress", "event-progress", event);
    }

    // ---- the checks above can fail ----

    @Test
    void aRenamedFieldIsCaught() throws IOException {
        ObjectNode event = (ObjectNode) wire(events.completed(job, result(null)));
        ObjectNode rendition = (ObjectNode) event.at("/data/outputs/0");
        rendition.set("size", rendition.remove("sizeBytes"));
        assertFalse(message("JobCompleted").validate(event).isEmpty(), "sizeBytes -> size must break the contract");
        assertFalse(undeclared(schema("event-completed"), event.get("data")).isEmpty());
    }

    @Test
    void anUnknownErrorCodeOrEventTypeIsCaught() throws IOException {
        ObjectNode failed = (ObjectNode) wire(events.failed(job, new IllegalStateException("x"), null));
        ((ObjectNode) failed.get("data")).put("errorCode", "OOPS");
        assertFalse(message("JobFailed").validate(failed).isEmpty());
        ObjectNode accepted = (ObjectNode) wire(events.accepted(job));
        accepted.put("type", "ai.fastvsr.job.started");
        assertFalse(message("JobAccepted").validate(accepted).isEmpty());
    }

    // ---- helpers ----

    private void assertConforms(String message, String schemaName, JsonNode event) throws IOException {
        Set<ValidationMessage> errors = message(message).validate(event);
        assertTrue(errors.isEmpty(), () -> message + ": " + errors + "\n" + event.toPrettyString());
        // additive changes are allowed for consumers, but the producer must document them first
        List<String> extra = undeclared(schema(schemaName), event.get("data"));
        assertTrue(extra.isEmpty(), () -> schemaName + " does not declare " + extra);
    }

    /** The event exactly as it goes on the wire: CloudEvents structured JSON, read back as a tree. */
    private JsonNode wire(CloudEvent event) throws IOException {
        EventFormat format = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
        return json.readTree(format.serialize(event));
    }

    private static final ColorSummary BT709 = new ColorSummary("bt709", "bt709", "bt709", "tv");

    private JobResult result(String versionId) {
        return new JobResult(
                new Rendition(
                        "s3://renditions/cam7/seg-42.x4.mp4",
                        "9b2cf535f27731c974343645a3985328",
                        versionId,
                        1_234_567,
                        "a".repeat(64),
                        "h264",
                        1280,
                        720,
                        "30000/1001",
                        90,
                        3003,
                        1,
                        1,
                        "mp4",
                        "yuv420p",
                        BT709,
                        "libopenh264",
                        List.of("subtitle stream 2 (subrip) converted to mov_text for mp4")),
                new MediaSummary(
                        "s3://ingest/cam7/seg-42.mp4",
                        98_765,
                        "h264",
                        320,
                        180,
                        "30000/1001",
                        90,
                        3003,
                        1,
                        1,
                        "mkv",
                        "yuv420p",
                        BT709),
                new LinkedHashMap<>(Map.of("download", 12L, "process", 3456L, "upload", 78L)),
                false);
    }

    /** A message's payload schema, loaded by location so its relative $refs resolve like any tool would. */
    private JsonSchema message(String name) {
        return factory.getSchema(
                SchemaLocation.of(ASYNCAPI.toAbsolutePath().toUri() + "#/components/messages/" + name + "/payload"));
    }

    private JsonSchema metaSchema() {
        return factory.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    }

    private JsonNode doc() throws IOException {
        return yaml.readTree(ASYNCAPI.toFile());
    }

    private JsonNode schema(String name) throws IOException {
        return json.readTree(SCHEMAS.resolve(name + ".schema.json").toFile());
    }

    private JsonNode resolve(JsonNode doc, String ref) throws IOException {
        int hash = ref.indexOf('#');
        String file = hash < 0 ? ref : ref.substring(0, hash);
        String pointer = hash < 0 ? "" : ref.substring(hash + 1);
        JsonNode root = file.isEmpty() ? doc : loadRelative(file);
        return root == null ? MissingNode.getInstance() : root.at(JsonPointer.compile(pointer));
    }

    private JsonNode loadRelative(String file) throws IOException {
        Path path = ASYNCAPI.getParent().resolve(file).normalize();
        return Files.isRegularFile(path) ? json.readTree(path.toFile()) : null;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs));
        }
    }

    private static void checkKeywords(JsonNode schema, String path, List<String> typos) {
        if (!schema.isObject()) {
            return;
        }
        schema.fieldNames().forEachRemaining(k -> {
            if (!KEYWORDS.contains(k)) {
                typos.add(path + "/" + k);
            }
        });
        for (String map : List.of("properties", "$defs")) {
            schema.path(map)
                    .fields()
                    .forEachRemaining(e -> checkKeywords(e.getValue(), path + "/" + e.getKey(), typos));
        }
        for (String one : List.of("items", "additionalProperties")) {
            checkKeywords(schema.path(one), path + "/" + one, typos);
        }
        for (String list : List.of("allOf", "oneOf")) {
            schema.path(list).forEach(s -> checkKeywords(s, path + "/" + list, typos));
        }
    }

    private static Set<String> enumOf(JsonNode schema, String pointer) {
        Set<String> values = new HashSet<>();
        schema.at(pointer).forEach(v -> {
            if (!v.isNull()) {
                values.add(v.asText());
            }
        });
        return values;
    }

    /** Paths of fields in {@code data} that the schema does not declare (free-form objects excepted). */
    static List<String> undeclared(JsonNode root, JsonNode data) {
        List<String> out = new ArrayList<>();
        walk(root, root, data, "", out);
        return out;
    }

    private static void walk(JsonNode root, JsonNode schema, JsonNode node, String path, List<String> out) {
        if (schema.has("$ref")) {
            schema = root.at(JsonPointer.compile(schema.get("$ref").asText().substring(1)));
        }
        if (node.isObject()) {
            JsonNode props = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            if (!props.isObject() && !additional.isObject()) {
                return; // free-form, e.g. userMetadata
            }
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                JsonNode sub = props.has(field) ? props.get(field) : additional;
                if (!sub.isObject()) {
                    out.add(path + "/" + field);
                } else {
                    walk(root, sub, node.get(field), path + "/" + field, out);
                }
            }
        } else if (node.isArray() && schema.path("items").isObject()) {
            for (int i = 0; i < node.size(); i++) {
                walk(root, schema.get("items"), node.get(i), path + "/" + i, out);
            }
        }
    }
}
