package ai.fastvsr.inference.gpu;

import org.bytedeco.tensorrt.nvinfer.ILogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TensorRT's messages into the worker's log: errors and warnings as such, its info chatter at debug. The last
 * error is kept, because TensorRT's API answers most failures with a null or false and says why only here.
 * One instance lives as long as the process: TensorRT keeps the pointer.
 */
final class TensorRtLog extends ILogger {
    private static final Logger LOG = LoggerFactory.getLogger("ai.fastvsr.inference.gpu.TensorRT");
    static final TensorRtLog INSTANCE = new TensorRtLog();

    private volatile String lastError = "";

    private TensorRtLog() {}

    // JavaCPP calls this override from TensorRT's virtual ILogger::log; compare severities by value (JavaCPP makes
    // a new enum object per call)
    @Override
    public void log(ILogger.Severity severity, String msg) {
        int level = severity == null ? 1 : severity.value;
        if (level <= Severity.kERROR.value) {
            lastError = msg;
            LOG.error("TensorRT: {}", msg);
        } else if (level == Severity.kWARNING.value) {
            LOG.warn("TensorRT: {}", msg);
        } else {
            LOG.debug("TensorRT: {}", msg);
        }
    }

    /** The last error TensorRT logged, for the exception that reports a null or false from its API. */
    String lastError() {
        return lastError.isEmpty() ? "(TensorRT logged no error)" : lastError;
    }
}
