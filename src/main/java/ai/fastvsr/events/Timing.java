package ai.fastvsr.events;

import java.util.Locale;

/** The keys of the completed event's {@code timingsMs}: where a job's time went, in the order it is spent. */
public enum Timing {
    DOWNLOAD,
    /** decode, inference and encode, which run as one pipeline */
    PROCESS,
    UPLOAD;

    /** The key in {@code timingsMs} (and the {@code phase} tag of the phase timer metric). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
