package ai.fastvsr.cli;

import ai.fastvsr.inference.BuildEngines;
import ai.fastvsr.inference.BundledModel;
import ai.fastvsr.inference.EngineKind;
import ai.fastvsr.inference.ModelCard;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the build, the default model in the jar (name, version, sha256), and the engines it holds. */
final class VersionInfo implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties build = new Properties();
        try (InputStream in = VersionInfo.class.getClassLoader().getResourceAsStream("fastvsr-build.properties")) {
            if (in != null) {
                build.load(in);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                "fastvsr-worker %s (built %s; %s jar)",
                build.getProperty("version", "unknown"),
                build.getProperty("built", "unknown"),
                EmbeddedServers.present() ? "all-in-one" : "slim worker"));
        if (BundledModel.present()) {
            ModelCard card = BundledModel.card(new ObjectMapper());
            lines.add(String.format(
                    "default model: %s v%s, %s sha256 %s",
                    card.name(),
                    card.version(),
                    card.files().onnx(),
                    card.files().sha256()));
            if (card.files().fp16() != null) {
                lines.add(String.format(
                        "               %s sha256 %s (fp16 graph, GPU engines)",
                        card.files().fp16().onnx(), card.files().fp16().sha256()));
            }
        } else {
            lines.add("default model: none in this jar (--model DIR)");
        }
        lines.add("engines: "
                + BuildEngines.held().stream().map(VersionInfo::engineName).collect(Collectors.joining(", ")) + " (DJL "
                + build.getProperty("djl", "?") + ", FFmpeg "
                + build.getProperty("ffmpeg", "?") + ")");
        lines.add("embedded Kafka and S3 servers (demo, serve --embedded): "
                + (EmbeddedServers.present() ? "yes" : "no"));
        lines.add("java: " + System.getProperty("java.version") + " " + System.getProperty("os.arch"));
        return lines.toArray(String[]::new);
    }

    private static String engineName(EngineKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
