using Kaito.Runtime.Metrics;

namespace Kaito.Runtime.Tests.Metrics;

public sealed class VllmMetricNameMiddlewareTests
{
    [Fact]
    public void Only_the_vllm_prefix_of_names_is_renamed_never_a_label_value_or_another_metric()
    {
        const string exported = """
            # TYPE vllm_prompt_tokens_total counter
            # HELP vllm_prompt_tokens_total Number of prefill tokens processed.
            # UNIT vllm_e2e_request_latency_seconds seconds
            vllm_prompt_tokens_total{model_name="vllm_x"} 3
            kaito_runtime_requests_total{endpoint="/vllm_"} 1
            # EOF
            """;
        const string expected = """
            # TYPE vllm:prompt_tokens_total counter
            # HELP vllm:prompt_tokens_total Number of prefill tokens processed.
            # UNIT vllm:e2e_request_latency_seconds seconds
            vllm:prompt_tokens_total{model_name="vllm_x"} 3
            kaito_runtime_requests_total{endpoint="/vllm_"} 1
            # EOF
            """;

        Assert.Equal(expected, VllmMetricNameMiddleware.Rename(exported));
    }
}
