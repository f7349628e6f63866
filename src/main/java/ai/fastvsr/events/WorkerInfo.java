package ai.fastvsr.events;

/** Which worker, engine and model produced an event. */
public record WorkerInfo(String host, String engine, String device, String model, String modelVersion) {}
