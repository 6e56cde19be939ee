package fr.zlv.entrepot.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test's Prometheus reader refuses what a scraper would refuse. */
class PrometheusTextTest {

    @Test
    void aWellFormedPageReads() {
        PrometheusText page = PrometheusText.parse("""
                # HELP requests_total Requests.
                # TYPE requests_total counter
                requests_total{route="/a",code="x\\"y"} 3
                # TYPE latency_seconds histogram
                latency_seconds_bucket{le="0.1"} 1
                latency_seconds_bucket{le="+Inf"} 2
                latency_seconds_count 2
                latency_seconds_sum 0.3
                """);

        assertThat(page.find("requests_total", Map.of("code", "x\"y"))).hasSize(1);
    }

    @Test
    void malformedPagesAreRefused() {
        assertThatThrownBy(() -> PrometheusText.parse("orphan 1\n")).hasMessageContaining("no TYPE");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na{b=\"c\" 1\n")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na one\n")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\na{1b=\"c\"} 1\n")).hasMessageContaining("label");
        assertThatThrownBy(() -> PrometheusText.parse("""
                # TYPE h histogram
                h_bucket{le="1"} 3
                h_bucket{le="+Inf"} 2
                h_count 2
                """)).hasMessageContaining("not cumulative");
        assertThatThrownBy(() -> PrometheusText.parse("""
                # TYPE h histogram
                h_bucket{le="1"} 1
                h_count 1
                """)).hasMessageContaining("+Inf");
    }
}
