package org.stratum4j.core.engine;

import java.util.function.Consumer;
import org.stratum4j.core.job.BlockTemplate;

/**
 * SPI: where templates come from (Bitcoin Core with long poll, an embedded demo chain). It pushes
 * each new template to the listener from its own thread; the application hands it to
 * {@link PoolEngine#newTemplate} and fans the announcement out to its event loops.
 */
public interface TemplateSource {

    /** Starts producing templates; the first should come as soon as one is available. */
    void start(Consumer<BlockTemplate> listener);

    /** Stops and releases what it holds; no template is delivered after it returns. */
    void stop();
}
