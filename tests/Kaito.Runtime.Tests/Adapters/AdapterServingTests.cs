using System.Net.Http.Json;
using System.Text.Json;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.Adapters;

/// <summary>force-x adds 30 * strength to 'X'; the model's own next byte wins by 10, so strength 0.2 changes nothing.</summary>
public sealed class AdapterServingTests
{
    [Fact]
    public async Task An_adapter_changes_the_output_when_asked_for_by_model_name()
    {
        await using var server = await Start(TestModelFiles.SingleAdapterDirectory, ("force-x", "1"));
        Assert.Equal(TestModelFiles.AbcContinuation[..8], await Complete(server, "tiny"));
        Assert.Equal("XXXXXXXX", await Complete(server, "force-x"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.2")]
    public async Task A_weak_or_zero_strength_adapter_gives_exactly_the_base_output(string strength)
    {
        await using var server = await Start(TestModelFiles.SingleAdapterDirectory, ("force-x", strength));
        Assert.Equal(await Complete(server, "tiny", 40), await Complete(server, "force-x", 40));
    }

    [Fact]
    public async Task Half_strength_still_outweighs_the_base_model()
    {
        await using var server = await Start(TestModelFiles.SingleAdapterDirectory, ("force-x", "0.5"));
        Assert.Equal("XXXXXXXX", await Complete(server, "force-x"));
    }

    [Fact]
    public async Task Chat_uses_all_adapters_combined_by_strength()
    {
        // force-q adds 40 * 0.5 = 20 to 'Q', force-x adds 30 to 'X': combined, X wins; with force-x at 0.5 (15), Q wins.
        await using (var server = await Start(TestModelFiles.AdapterDirectory, ("force-q", "0.5"), ("force-x", "1")))
        {
            Assert.Equal("abcXXXX", await Chat(server));
            Assert.Equal("QQQQ", await Complete(server, "force-q", 4));
        }

        await using (var server = await Start(TestModelFiles.AdapterDirectory, ("force-q", "0.5"), ("force-x", "0.5")))
        {
            Assert.Equal("abcQQQQ", await Chat(server));
        }
    }

    private static Task<RuntimeServer> Start(string adapters, params (string Name, string Strength)[] strengths)
    {
        var settings = new Dictionary<string, string?> { ["Runtime:AdapterDirectory"] = adapters };
        foreach (var (name, strength) in strengths)
        {
            settings[$"Runtime:AdapterStrengths:{name}"] = strength;
        }

        return RuntimeServer.StartAsync(settings);
    }

    private static async Task<string> Complete(RuntimeServer server, string model, int maxTokens = 8)
    {
        using var response = await server.Client.PostAsJsonAsync("/v1/completions", new { model, prompt = "abc", max_tokens = maxTokens, temperature = 0 });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("choices")[0].GetProperty("text").GetString()!;
    }

    private static async Task<string> Chat(RuntimeServer server)
    {
        using var response = await server.Client.PostAsJsonAsync("/chat", new { prompt = "abc", generate_kwargs = new { do_sample = false, max_length = 7 } });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Result").GetString()!;
    }
}
