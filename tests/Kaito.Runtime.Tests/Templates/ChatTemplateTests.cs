using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kaito.Runtime.Tests.Support;

namespace Kaito.Runtime.Tests.Templates;

/// <summary>Chat templates: one BOS when the template renders it, the override (setting or flag), a model without one.</summary>
public sealed class ChatTemplateTests
{
    /// <summary>Renders only the contents, so "abc" as the user message continues exactly like the raw prompt "abc".</summary>
    private const string ContentOnly = "{% for message in messages %}{{ message['content'] }}{% endfor %}";

    [Fact]
    public async Task A_template_that_renders_bos_and_a_tokenizer_that_adds_it_give_one_bos()
    {
        // Llama 3 style: the tokenizer adds BOS (add_bos_token) and the template writes bos_token itself.
        var model = TestModelFiles.ModelVariant(config =>
        {
            config["add_bos_token"] = true;
            config["chat_template"] = "{{ bos_token }}" + ContentOnly;
        });
        await using var server = await RuntimeServer.StartAsync(modelDirectory: model);
        var completion = await Post(server, "/v1/completions", new { prompt = "abc", max_tokens = 1, temperature = 0 });
        Assert.Equal(4, Usage(completion));
        var chat = await Post(server, "/v1/chat/completions", new { messages = new[] { new { role = "user", content = "abc" } }, max_tokens = 1, temperature = 0 });
        Assert.Equal(4, Usage(chat));
    }

    [Fact]
    public async Task The_chat_template_setting_takes_a_template_or_a_file_and_replaces_the_models()
    {
        var file = Path.Combine(TestModelFiles.NewScratchDirectory(), "template.jinja");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, ContentOnly);
        foreach (var value in new[] { ContentOnly, file })
        {
            await using var server = await RuntimeServer.StartAsync(new Dictionary<string, string?> { ["Runtime:ChatTemplate"] = value });
            Assert.Equal(TestModelFiles.AbcContinuation, await ChatText(server));
        }
    }

    [Fact]
    public async Task Upstreams_chat_template_flag_sets_the_override()
    {
        await using var server = await RuntimeServer.StartAsync(args: ["--chat_template", ContentOnly]);
        Assert.Equal(TestModelFiles.AbcContinuation, await ChatText(server));
    }

    [Fact]
    public async Task A_model_without_a_chat_template_answers_chat_with_a_clear_400()
    {
        var model = TestModelFiles.ModelVariant(config => config.Remove("chat_template"));
        await using var server = await RuntimeServer.StartAsync(modelDirectory: model);
        using var response = await server.Client.PostAsJsonAsync("/v1/chat/completions", new { messages = new[] { new { role = "user", content = "abc" } } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = await OpenAiError.MessageAsync(response);
        Assert.Contains("no chat template", message, StringComparison.Ordinal);
        Assert.Contains("--chat_template", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_error_is_a_400_with_the_templates_message()
    {
        await using var server = await RuntimeServer.StartAsync(new Dictionary<string, string?> { ["Runtime:ChatTemplate"] = "{{ raise_exception('roles must alternate') }}" });
        using var response = await server.Client.PostAsJsonAsync("/v1/chat/completions", new { messages = new[] { new { role = "user", content = "abc" } } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("roles must alternate", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static int Usage(JsonElement body) => body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();

    private static async Task<string?> ChatText(RuntimeServer server)
    {
        var body = await Post(server, "/v1/chat/completions", new { messages = new[] { new { role = "user", content = "abc" } }, temperature = 0 });
        return body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
    }

    private static async Task<JsonElement> Post(RuntimeServer server, string path, object request)
    {
        using var response = await server.Client.PostAsJsonAsync(path, request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
