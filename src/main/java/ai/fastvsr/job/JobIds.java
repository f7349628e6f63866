package ai.fastvsr.job;

/**
 * jobIds people can read, within the contract's pattern {@code [A-Za-z0-9._-]{1,128}}: the input's file name,
 * cleaned, and a part that makes it unique (a hash of the object version for the intake, random for submit).
 */
public final class JobIds {
    /** Readable part of the jobId; the part after it is what makes it unique. */
    private static final int NAME_CHARS = 48;

    private JobIds() {}

    /** {@code <file name of key without extension>-<unique>}; "object" when nothing readable is left. */
    public static String fromKey(String key, String unique) {
        String name = withoutExtension(key.substring(key.lastIndexOf('/') + 1))
                .replaceAll("[^A-Za-z0-9._-]+", "-")
                .replaceAll("^[-.]+|[-.]+$", "");
        if (name.length() > NAME_CHARS) {
            name = name.substring(0, NAME_CHARS).replaceAll("[-.]+$", "");
        }
        return (name.isEmpty() ? "object" : name) + "-" + unique;
    }

    /** The key without its file extension ({@code a/b.x4.mp4} -> {@code a/b.x4}; a dot in a folder is no extension). */
    public static String withoutExtension(String key) {
        int slash = key.lastIndexOf('/');
        int dot = key.lastIndexOf('.');
        return dot > slash + 1 ? key.substring(0, dot) : key;
    }
}
