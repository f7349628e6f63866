package ai.fastvsr.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.fastvsr.cli.DrainDeadline;
import ai.fastvsr.deploy.CustomResources.ScaledJob;
import ai.fastvsr.deploy.CustomResources.ScaledObject;
import ai.fastvsr.deploy.CustomResources.ServiceMonitor;
import ai.fastvsr.deploy.CustomResources.Trigger;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every manifest in k8s/ read into typed objects: fabric8's models for Kubernetes' own kinds (a field fabric8 does
 * not know lands in additionalProperties, which must stay empty), records of the documented fields for KEDA and
 * prometheus-operator kinds. Then the wiring: names that refer to each other resolve, and the scaling numbers
 * agree with the consumer in camel-routes/jobs.yaml and the longest segment.
 */
class K8sManifestsTest {
    private static final Path K8S = Path.of("k8s");
    private static final Map<String, String> API_VERSIONS = Map.of(
            "Deployment",
            "apps/v1",
            "ConfigMap",
            "v1",
            "Service",
            "v1",
            "PodDisruptionBudget",
            "policy/v1",
            "ScaledObject",
            "keda.sh/v1alpha1",
            "ScaledJob",
            "keda.sh/v1alpha1",
            "ServiceMonitor",
            "monitoring.coreos.com/v1");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private final ObjectMapper json = new ObjectMapper();
    /** fabric8 8 binds with Jackson 3; the YAML is read with Jackson 2 and handed over as JSON. */
    private final JsonMapper fabric8 = JsonMapper.builder().build();

    private final Map<String, Object> byKindAndName = new HashMap<>();

    @BeforeEach
    void readAll() throws Exception {
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode doc : documents(file)) {
                    Object parsed = parse(doc, file.getFileName().toString());
                    String key = doc.path("kind").asText() + "/"
                            + doc.at("/metadata/name").asText();
                    assertTrue(byKindAndName.put(key, parsed) == null, "duplicate " + key);
                }
            }
        }
    }

    @Test
    void everyKindOfTheFleetIsThere() {
        Set<String> kinds = new TreeSet<>();
        byKindAndName.keySet().forEach(k -> kinds.add(k.substring(0, k.indexOf('/'))));
        assertEquals(new TreeSet<>(API_VERSIONS.keySet()), kinds);
    }

    @Test
    void deploymentRunsOneGpuWorkerThatDrainsAndStaysOffline() {
        Deployment d = get("Deployment/fastvsr-worker");
        PodSpec pod = d.getSpec().getTemplate().getSpec();
        Container worker = pod.getContainers().get(0);
        assertEquals(List.of("worker"), worker.getArgs());
        assertEquals(new Quantity("1"), worker.getResources().getRequests().get("nvidia.com/gpu"));
        assertEquals(new Quantity("1"), worker.getResources().getLimits().get("nvidia.com/gpu"));
        // the GPU image runs the TensorRT engine, several jobs at once, each with CPU for its encoder; an init
        // container builds (or finds) the plan in the cache folder the worker reads
        Map<String, String> config =
                this.<ConfigMap>get("ConfigMap/fastvsr-worker-config").getData();
        assertEquals("tensorrt", config.get("FASTVSR_ENGINE"));
        Container init = pod.getInitContainers().get(0);
        assertEquals(List.of("build-engine"), init.getArgs());
        assertEquals(worker.getImage(), init.getImage());
        assertEquals(new Quantity("1"), init.getResources().getLimits().get("nvidia.com/gpu"));
        String plans = config.get("FASTVSR_TRT_CACHE_DIR");
        for (Container c : List.of(init, worker)) {
            assertTrue(
                    c.getVolumeMounts().stream()
                            .anyMatch(m -> m.getMountPath().equals(plans)
                                    && m.getName().equals("plans")),
                    c.getName() + " mounts the plan cache at " + plans);
            assertTrue(
                    c.getEnv().stream()
                            .anyMatch(e -> e.getName().equals("OPT_OUT_TRACKING") && "true".equals(e.getValue())),
                    c.getName() + ": DJL telemetry off");
        }
        int jobs = Integer.parseInt(config.get("FASTVSR_CONCURRENT_JOBS"));
        assertTrue(jobs >= 1);
        assertTrue(
                Quantity.getAmountInBytes(worker.getResources().getRequests().get("cpu"))
                                .intValue()
                        >= jobs,
                "at least a core per concurrent job");

        assertEquals("/health/live", worker.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/health/ready", worker.getReadinessProbe().getHttpGet().getPath());
        assertEquals(
                8080,
                containerPort(
                        worker, worker.getLivenessProbe().getHttpGet().getPort().getStrVal()));
        assertEquals(
                8080,
                containerPort(
                        worker,
                        worker.getReadinessProbe().getHttpGet().getPort().getStrVal()));
        assertNotNull(worker.getLifecycle().getPreStop().getExec(), "preStop drain");

        assertTrue(
                pod.getTerminationGracePeriodSeconds() >= longestSegmentSeconds(),
                "terminationGracePeriodSeconds " + pod.getTerminationGracePeriodSeconds() + " < one segment");
        assertDrainEndsBeforeKill(pod, worker);
        assertNull(d.getSpec().getReplicas(), "KEDA owns the replica count");
        assertEquals(
                d.getSpec().getSelector().getMatchLabels(),
                d.getSpec().getTemplate().getMetadata().getLabels());
        assertWorkerEnvironment(worker);
        assertVolumesResolve(pod);
    }

    @Test
    void scaledJobRunsTheSameWorkerOneJobPerPod() {
        ScaledJob sj = get("ScaledJob/fastvsr-worker-long");
        JobSpec job = toFabric8(sj.spec().jobTargetRef(), JobSpec.class, "ScaledJob.spec.jobTargetRef");
        assertEquals(0, job.getBackoffLimit(), "a crashed worker's job is redelivered by Kafka, not retried by k8s");
        assertEquals("Never", job.getTemplate().getSpec().getRestartPolicy());
        Container worker = job.getTemplate().getSpec().getContainers().get(0);
        assertWorkerEnvironment(worker);
        assertEquals("1", env(worker, "FASTVSR_MAX_JOBS").getValue());
        assertEquals(new Quantity("1"), worker.getResources().getLimits().get("nvidia.com/gpu"));
        assertVolumesResolve(job.getTemplate().getSpec());
        assertDrainEndsBeforeKill(job.getTemplate().getSpec(), worker);
        assertTrue(CustomResources.ScalingStrategy.STRATEGIES.contains(
                sj.spec().scalingStrategy().strategy()));

        Map<String, String> kafka = kafkaTrigger(sj.spec().triggers());
        assertEquals(env(worker, "FASTVSR_JOBS_TOPIC").getValue(), kafka.get("topic"));
        assertEquals(env(worker, "FASTVSR_KAFKA_GROUP").getValue(), kafka.get("consumerGroup"));
        // FASTVSR_MAX_JOBS=1 caps the worker at one consumer whatever FASTVSR_CONCURRENT_JOBS says
        assertLagTriggerTuned(kafka, 1);
    }

    @Test
    void scaledObjectScalesTheDeploymentOnJobLag() {
        ScaledObject so = get("ScaledObject/fastvsr-worker");
        Deployment d = get("Deployment/fastvsr-worker");
        assertEquals(d.getMetadata().getName(), so.spec().scaleTargetRef().name());
        assertEquals("Deployment", so.spec().scaleTargetRef().kind());

        Map<String, String> config =
                this.<ConfigMap>get("ConfigMap/fastvsr-worker-config").getData();
        Map<String, String> kafka = kafkaTrigger(so.spec().triggers());
        assertEquals(config.get("FASTVSR_JOBS_TOPIC"), kafka.get("topic"));
        assertEquals(config.get("FASTVSR_KAFKA_GROUP"), kafka.get("consumerGroup"));
        assertEquals(config.get("FASTVSR_KAFKA_BROKERS"), kafka.get("bootstrapServers"));
        // a pod takes FASTVSR_CONCURRENT_JOBS jobs: that many pending jobs ask for one more pod
        assertLagTriggerTuned(kafka, Integer.parseInt(config.get("FASTVSR_CONCURRENT_JOBS")));

        long segment = longestSegmentSeconds();
        assertTrue(so.spec().cooldownPeriod() >= segment, "cooldownPeriod < longest segment");
        HorizontalPodAutoscalerBehavior behavior = toFabric8(
                so.spec().advanced().horizontalPodAutoscalerConfig().behavior(),
                HorizontalPodAutoscalerBehavior.class,
                "ScaledObject HPA behavior");
        assertTrue(
                behavior.getScaleDown().getStabilizationWindowSeconds() >= segment,
                "scale-down stabilization < longest segment");
        assertTrue(behavior.getScaleDown().getStabilizationWindowSeconds() <= 3600, "HPA maximum is 3600 s");
    }

    @Test
    void disruptionBudgetAndMonitoringSelectTheWorkers() {
        Map<String, String> podLabels = this.<Deployment>get("Deployment/fastvsr-worker")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels();
        PodDisruptionBudget pdb = get("PodDisruptionBudget/fastvsr-worker");
        assertTrue(podLabels
                .entrySet()
                .containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()));
        assertNotNull(pdb.getSpec().getMaxUnavailable());

        Service service = get("Service/fastvsr-worker");
        assertTrue(
                podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()));
        ServiceMonitor sm = get("ServiceMonitor/fastvsr-worker");
        LabelSelector selector = toFabric8(sm.spec().selector(), LabelSelector.class, "ServiceMonitor.spec.selector");
        assertTrue(service.getMetadata()
                .getLabels()
                .entrySet()
                .containsAll(selector.getMatchLabels().entrySet()));
        var endpoint = sm.spec().endpoints().get(0);
        assertEquals("/metrics", endpoint.path());
        assertTrue(
                service.getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(endpoint.port())),
                "ServiceMonitor port " + endpoint.port() + " is not a named port of the Service");
    }

    @Test
    void routesConfigMapIsACopyOfCamelRoutes() throws IOException {
        ConfigMap routes = get("ConfigMap/fastvsr-routes");
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> list = Files.list(Path.of("camel-routes"))) {
            for (Path f : list.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                files.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        assertEquals(files.keySet(), routes.getData().keySet(), "run k8s/routes-configmap.sh");
        files.forEach((name, text) -> assertEquals(
                text,
                routes.getData().get(name),
                name + " differs from k8s/configmap-routes.yaml: run k8s/routes-configmap.sh"));
    }

    // ---- the checks can fail ----

    @Test
    void typosAreCaught() throws Exception {
        JsonNode deployment = documents(K8S.resolve("deployment.yaml")).get(0);
        ((ObjectNode) deployment.at("/spec/template/spec")).put("terminationGracePeriodSecond", 900);
        assertThrows(AssertionError.class, () -> parse(deployment, "planted"));

        JsonNode so = documents(K8S.resolve("keda-scaledobject.yaml")).get(0);
        ((ObjectNode) so.get("spec")).put("cooldownPeriods", 900);
        assertThrows(Exception.class, () -> parse(so, "planted"));

        JsonNode trigger = documents(K8S.resolve("keda-scaledobject.yaml")).get(0);
        ((ObjectNode) trigger.at("/spec/triggers/0/metadata")).put("lagTreshold", "1");
        assertThrows(AssertionError.class, () -> parse(trigger, "planted"));

        JsonNode number = documents(K8S.resolve("keda-scaledobject.yaml")).get(0);
        ((ObjectNode) number.at("/spec/triggers/0/metadata")).put("lagThreshold", 1);
        assertThrows(AssertionError.class, () -> parse(number, "planted"), "KEDA metadata values are strings");

        JsonNode sm = documents(K8S.resolve("servicemonitor.yaml")).get(0);
        ((ObjectNode) sm.at("/spec/endpoints/0")).put("paht", "/metrics");
        assertThrows(Exception.class, () -> parse(sm, "planted"));
    }

    // ---- parsing ----

    private Object parse(JsonNode doc, String where) throws IOException {
        String kind = doc.path("kind").asText();
        String expected = API_VERSIONS.get(kind);
        assertNotNull(expected, where + ": unexpected kind " + kind);
        assertEquals(expected, doc.path("apiVersion").asText(), where + ": apiVersion of " + kind);
        return switch (kind) {
            case "Deployment" -> toFabric8(doc, Deployment.class, where);
            case "ConfigMap" -> toFabric8(doc, ConfigMap.class, where);
            case "Service" -> toFabric8(doc, Service.class, where);
            case "PodDisruptionBudget" -> toFabric8(doc, PodDisruptionBudget.class, where);
            case "ScaledObject" -> {
                ScaledObject so = yaml.treeToValue(doc, ScaledObject.class);
                so.spec().triggers().forEach(t -> checkTrigger(t, where));
                if (so.spec().advanced() != null && so.spec().advanced().horizontalPodAutoscalerConfig() != null) {
                    toFabric8(
                            so.spec().advanced().horizontalPodAutoscalerConfig().behavior(),
                            HorizontalPodAutoscalerBehavior.class,
                            where);
                }
                yield so;
            }
            case "ScaledJob" -> {
                ScaledJob sj = yaml.treeToValue(doc, ScaledJob.class);
                sj.spec().triggers().forEach(t -> checkTrigger(t, where));
                toFabric8(sj.spec().jobTargetRef(), JobSpec.class, where);
                yield sj;
            }
            case "ServiceMonitor" -> {
                ServiceMonitor sm = yaml.treeToValue(doc, ServiceMonitor.class);
                toFabric8(sm.spec().selector(), LabelSelector.class, where);
                yield sm;
            }
            default -> throw new AssertionError(kind);
        };
    }

    private static void checkTrigger(Trigger t, String where) {
        assertEquals("kafka", t.type(), where + ": only kafka triggers are expected");
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = t.metadata().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!CustomResources.KAFKA_TRIGGER_FIELDS.contains(e.getKey())) {
                problems.add("unknown " + e.getKey());
            }
            if (!e.getValue().isTextual()) {
                problems.add(e.getKey() + " is not a string");
            }
        }
        CustomResources.KAFKA_TRIGGER_REQUIRED.stream()
                .filter(k -> !t.metadata().has(k))
                .forEach(k -> problems.add("missing " + k));
        assertTrue(problems.isEmpty(), where + ": kafka trigger " + problems);
    }

    private <T> T toFabric8(JsonNode node, Class<T> type, String where) {
        try {
            T value = fabric8.readValue(json.writeValueAsString(node), type);
            List<String> unknown = new ArrayList<>();
            unknownFields(value, type.getSimpleName(), unknown);
            assertTrue(unknown.isEmpty(), where + ": fields Kubernetes does not know: " + unknown);
            return value;
        } catch (IOException e) {
            throw new AssertionError(where, e);
        }
    }

    /** Walks fabric8 model objects; anything bound to additionalProperties was not a field of that type. */
    private static void unknownFields(Object o, String path, List<String> out) {
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, out));
            return;
        }
        if (o instanceof Collection<?> list) {
            int i = 0;
            for (Object v : list) {
                unknownFields(v, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (o == null || !o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(o);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(path + " " + extra.keySet());
                }
            } else {
                unknownFields(value, path + "." + m.getName().substring(3), out);
            }
        }
    }

    private List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var it = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = (JsonNode) it.next();
                if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    // ---- wiring ----

    @SuppressWarnings("unchecked")
    private <T> T get(String kindAndName) {
        Object o = byKindAndName.get(kindAndName);
        assertNotNull(o, kindAndName + " missing from k8s/");
        return (T) o;
    }

    private void assertWorkerEnvironment(Container worker) {
        assertEquals("true", env(worker, "OPT_OUT_TRACKING").getValue());
        assertTrue(env(worker, "JAVA_TOOL_OPTIONS").getValue().contains("-Dai.djl.offline=true"));
        assertEquals(
                "metadata.name",
                env(worker, "FASTVSR_GROUP_INSTANCE_ID")
                        .getValueFrom()
                        .getFieldRef()
                        .getFieldPath(),
                "group.instance.id from the pod name");
        assertNotNull(env(worker, "FASTVSR_S3_ACCESS_KEY").getValueFrom().getSecretKeyRef());
        assertTrue(
                worker.getEnv().stream().noneMatch(e -> e.getName().equals("FASTVSR_S3_SECRET_KEY")),
                "the secret key comes as a file");
        String configMap = worker.getEnvFrom().get(0).getConfigMapRef().getName();
        assertNotNull(byKindAndName.get("ConfigMap/" + configMap), "envFrom " + configMap);
    }

    private void assertVolumesResolve(PodSpec pod) {
        pod.getVolumes().stream()
                .filter(v -> v.getConfigMap() != null)
                .forEach(v -> assertNotNull(
                        byKindAndName.get("ConfigMap/" + v.getConfigMap().getName()), "volume " + v.getName()));
        Set<String> volumes = new HashSet<>();
        pod.getVolumes().forEach(v -> volumes.add(v.getName()));
        Container worker = pod.getContainers().get(0);
        worker.getVolumeMounts().forEach(m -> assertTrue(volumes.contains(m.getName()), "mount " + m.getName()));
        String routesDir = env(worker, "FASTVSR_ROUTES_DIR").getValue();
        assertTrue(
                worker.getVolumeMounts().stream()
                        .anyMatch(m -> m.getMountPath().equals(routesDir)
                                && m.getName().equals("routes")),
                "routes ConfigMap mounted at FASTVSR_ROUTES_DIR");
    }

    private void assertLagTriggerTuned(Map<String, String> kafka, int jobsPerPod) {
        int lag = Integer.parseInt(kafka.get("lagThreshold"));
        assertEquals(jobsPerPod, lag, "lagThreshold = jobs a pod runs at once");
        assertEquals("0", kafka.get("activationLagThreshold"));
        assertEquals(consumerAutoOffsetReset(), kafka.get("offsetResetPolicy"), "must match the route's consumer");
        assertEquals("true", kafka.get("limitToPartitionsWithLag"));
        assertEquals("false", kafka.get("excludePersistentLag"));
    }

    private static Map<String, String> kafkaTrigger(List<Trigger> triggers) {
        Map<String, String> out = new HashMap<>();
        triggers.get(0)
                .metadata()
                .fields()
                .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /**
     * The kubelet's SIGKILL comes terminationGracePeriodSeconds after the preStop hook starts. Before it the worker
     * must have drained: the preStop pause, the grace for the job in flight, and the drain's own bound on closing
     * ({@link DrainDeadline#MARGIN}); otherwise the kill cuts the drain and its report short.
     */
    private void assertDrainEndsBeforeKill(PodSpec pod, Container worker) {
        String grace = worker.getEnv().stream()
                .filter(e -> e.getName().equals("FASTVSR_SHUTDOWN_GRACE_S"))
                .map(EnvVar::getValue)
                .findFirst()
                .orElseGet(() -> this.<ConfigMap>get("ConfigMap/"
                                + worker.getEnvFrom().get(0).getConfigMapRef().getName())
                        .getData()
                        .get("FASTVSR_SHUTDOWN_GRACE_S"));
        assertNotNull(grace, "FASTVSR_SHUTDOWN_GRACE_S set for " + worker.getName());
        long preStop = 0;
        if (worker.getLifecycle() != null && worker.getLifecycle().getPreStop() != null) {
            Matcher sleep = Pattern.compile("sleep (\\d+)")
                    .matcher(String.join(
                            " ", worker.getLifecycle().getPreStop().getExec().getCommand()));
            preStop = sleep.find() ? Long.parseLong(sleep.group(1)) : 0;
        }
        long needed = preStop + Long.parseLong(grace) + DrainDeadline.MARGIN.toSeconds();
        assertTrue(
                pod.getTerminationGracePeriodSeconds() >= needed,
                "terminationGracePeriodSeconds " + pod.getTerminationGracePeriodSeconds() + " < preStop " + preStop
                        + " s + grace " + grace + " s + drain margin " + DrainDeadline.MARGIN.toSeconds() + " s");
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("env " + name + " missing in " + c.getName()));
    }

    private static int containerPort(Container c, String name) {
        return c.getPorts().stream()
                .filter(p -> name.equals(p.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no port " + name))
                .getContainerPort();
    }

    /** The consumer's auto.offset.reset, read from the job route itself. */
    private String consumerAutoOffsetReset() {
        try {
            for (JsonNode route :
                    yaml.readTree(Path.of("camel-routes/jobs.yaml").toFile())) {
                JsonNode from = route.at("/route/from");
                if (from.path("uri").asText().contains("fastvsr.topics.jobs")) {
                    return from.at("/parameters/autoOffsetReset").asText();
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no job consumer in camel-routes/jobs.yaml");
    }

    /** The worker's max.poll.interval is ~2x the longest segment (docs/operations.md). */
    private long longestSegmentSeconds() {
        ConfigMap config = get("ConfigMap/fastvsr-worker-config");
        return Long.parseLong(config.getData().get("FASTVSR_MAX_POLL_INTERVAL_MS")) / 2 / 1000;
    }

    private static void assertNull(Object o, String message) {
        Assertions.assertNull(o, message);
    }
}
