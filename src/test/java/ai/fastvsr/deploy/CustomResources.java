package ai.fastvsr.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The custom resources in k8s/ as records holding exactly the fields KEDA (keda.sh/v1alpha1, docs "ScaledObject
 * specification", "ScaledJob specification", "Apache Kafka" scaler) and prometheus-operator (monitoring.coreos.com/v1
 * ServiceMonitor API reference) document. Read with FAIL_ON_UNKNOWN_PROPERTIES, so a misspelt field fails instead
 * of being silently ignored by the cluster; mandatory fields are checked in the constructors. Parts that are plain
 * Kubernetes types (metadata, job spec, HPA behaviour, label selector) stay JsonNode here and are read with the
 * fabric8 models by the test.
 */
final class CustomResources {
    private CustomResources() {}

    record Meta(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {
        Meta {
            Objects.requireNonNull(name, "metadata.name");
        }
    }

    // ---- KEDA ----

    record ScaledObject(String apiVersion, String kind, Meta metadata, ScaledObjectSpec spec) {
        ScaledObject {
            Objects.requireNonNull(spec, "spec");
        }
    }

    record ScaledObjectSpec(
            ScaleTargetRef scaleTargetRef,
            Integer pollingInterval,
            Integer cooldownPeriod,
            Integer initialCooldownPeriod,
            Integer idleReplicaCount,
            Integer minReplicaCount,
            Integer maxReplicaCount,
            Fallback fallback,
            Advanced advanced,
            List<Trigger> triggers) {
        ScaledObjectSpec {
            Objects.requireNonNull(scaleTargetRef, "spec.scaleTargetRef");
            requireTriggers(triggers);
        }
    }

    record ScaleTargetRef(String apiVersion, String kind, String name, String envSourceContainerName) {
        ScaleTargetRef {
            Objects.requireNonNull(name, "scaleTargetRef.name");
        }
    }

    record Fallback(Integer failureThreshold, Integer replicas, String behavior) {}

    record Advanced(
            Boolean restoreToOriginalReplicaCount,
            HpaConfig horizontalPodAutoscalerConfig,
            JsonNode scalingModifiers) {}

    /** {@code behavior} is autoscaling/v2 HorizontalPodAutoscalerBehavior, checked with fabric8's model. */
    record HpaConfig(String name, JsonNode behavior) {}

    record ScaledJob(String apiVersion, String kind, Meta metadata, ScaledJobSpec spec) {
        ScaledJob {
            Objects.requireNonNull(spec, "spec");
        }
    }

    /** {@code jobTargetRef} is a batch/v1 JobSpec, checked with fabric8's model. */
    record ScaledJobSpec(
            JsonNode jobTargetRef,
            Integer pollingInterval,
            Integer successfulJobsHistoryLimit,
            Integer failedJobsHistoryLimit,
            String envSourceContainerName,
            Integer minReplicaCount,
            Integer maxReplicaCount,
            Rollout rollout,
            ScalingStrategy scalingStrategy,
            List<Trigger> triggers) {
        ScaledJobSpec {
            Objects.requireNonNull(jobTargetRef, "spec.jobTargetRef");
            requireTriggers(triggers);
        }
    }

    record Rollout(String strategy, String propagationPolicy) {}

    record ScalingStrategy(
            String strategy,
            String customScalingQueueLengthDeduction,
            String customScalingRunningJobPercentage,
            List<String> pendingPodConditions,
            String multipleScalersCalculation) {
        static final Set<String> STRATEGIES = Set.of("default", "custom", "accurate", "eager");
    }

    record Trigger(
            String type,
            String name,
            JsonNode metadata,
            AuthRef authenticationRef,
            String metricType,
            Boolean useCachedMetrics) {
        Trigger {
            Objects.requireNonNull(type, "trigger.type");
            Objects.requireNonNull(metadata, "trigger.metadata");
        }
    }

    record AuthRef(String name, String kind) {}

    /** Parameters of KEDA's {@code kafka} trigger; KEDA reads them as strings only. */
    static final Set<String> KAFKA_TRIGGER_FIELDS = Set.of(
            "bootstrapServers",
            "bootstrapServersFromEnv",
            "consumerGroup",
            "consumerGroupFromEnv",
            "topic",
            "topicFromEnv",
            "lagThreshold",
            "activationLagThreshold",
            "offsetResetPolicy",
            "allowIdleConsumers",
            "scaleToZeroOnInvalidOffset",
            "excludePersistentLag",
            "version",
            "partitionLimitation",
            "sasl",
            "tls",
            "unsafeSsl",
            "limitToPartitionsWithLag",
            "ensureEvenDistributionOfPartitions",
            "awsRegion",
            "awsEndpoint");

    static final Set<String> KAFKA_TRIGGER_REQUIRED = Set.of("bootstrapServers", "consumerGroup");

    private static void requireTriggers(List<Trigger> triggers) {
        if (triggers == null || triggers.isEmpty()) {
            throw new IllegalArgumentException("spec.triggers must not be empty");
        }
    }

    // ---- prometheus-operator ----

    record ServiceMonitor(String apiVersion, String kind, Meta metadata, ServiceMonitorSpec spec) {
        ServiceMonitor {
            Objects.requireNonNull(spec, "spec");
        }
    }

    /** {@code selector} is a LabelSelector, checked with fabric8's model. */
    record ServiceMonitorSpec(
            JsonNode selector,
            JsonNode namespaceSelector,
            List<Endpoint> endpoints,
            String jobLabel,
            List<String> targetLabels,
            List<String> podTargetLabels,
            Long sampleLimit,
            Long targetLimit,
            String scrapeProtocols,
            JsonNode attachMetadata) {
        ServiceMonitorSpec {
            Objects.requireNonNull(selector, "spec.selector");
            if (endpoints == null || endpoints.isEmpty()) {
                throw new IllegalArgumentException("spec.endpoints must not be empty");
            }
        }
    }

    record Endpoint(
            String port,
            JsonNode targetPort,
            String path,
            String scheme,
            String interval,
            String scrapeTimeout,
            Boolean honorLabels,
            Boolean honorTimestamps,
            Boolean enableHttp2,
            Boolean followRedirects,
            Map<String, List<String>> params,
            JsonNode relabelings,
            JsonNode metricRelabelings,
            JsonNode tlsConfig,
            JsonNode basicAuth,
            JsonNode authorization,
            JsonNode bearerTokenSecret,
            String proxyUrl,
            Boolean filterRunning) {}
}
