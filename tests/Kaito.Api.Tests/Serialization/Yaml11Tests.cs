using System.Text.Json;
using System.Text.Json.Nodes;
using Kaito.Api.Serialization;

namespace Kaito.Api.Tests.Serialization;

/// <summary>Documents are read as kubectl reads them (YAML 1.1), so a manifest means the same to both.</summary>
public sealed class Yaml11Tests
{
    [Theory]
    [InlineData("yes", "true")]
    [InlineData("Yes", "true")]
    [InlineData("ON", "true")]
    [InlineData("y", "true")]
    [InlineData("True", "true")]
    [InlineData("no", "false")]
    [InlineData("Off", "false")]
    [InlineData("N", "false")]
    [InlineData("~", "null")]
    [InlineData("", "null")]
    [InlineData("010", "8")]
    [InlineData("0x1F", "31")]
    [InlineData("0o17", "15")]
    [InlineData("0b101", "5")]
    [InlineData("-0x10", "-16")]
    [InlineData("1_000", "1000")]
    [InlineData("08", "8")]
    [InlineData("1.5", "1.5")]
    [InlineData("1e3", "1000")]
    [InlineData("yess", "\"yess\"")]
    [InlineData("2001-12-14", "\"2001-12-14\"")]
    [InlineData("0.0.1", "\"0.0.1\"")]
    [InlineData(".inf", "\".inf\"")]
    public void Plain_scalars_get_kubectls_types(string scalar, string json)
    {
        var node = YamlDocumentReader.Read($"value: {scalar}\n").Single()!;

        Assert.Equal(json, node["value"]?.ToJsonString() ?? "null");
    }

    [Theory]
    [InlineData("'yes'")]
    [InlineData("\"on\"")]
    [InlineData("!!str no")]
    public void Quoted_or_tagged_scalars_stay_strings(string scalar)
    {
        var node = YamlDocumentReader.Read($"value: {scalar}\n").Single()!;

        Assert.Equal(JsonValueKind.String, node["value"]!.GetValueKind());
    }

    [Fact]
    public void Boolean_and_number_keys_become_their_text_as_kubectl_sends_them()
    {
        var node = YamlDocumentReader.Read("on: a\nno: b\n010: c\n\"yes\": d\n").Single()!.AsObject();

        Assert.Equal(["true", "false", "8", "yes"], node.Select(p => p.Key));
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("y")]
    [InlineData("N")]
    [InlineData("off")]
    [InlineData("010")]
    [InlineData("0x1F")]
    [InlineData("1_000")]
    [InlineData("0b101")]
    [InlineData("~")]
    public void Strings_written_read_back_as_strings(string text)
    {
        var yaml = YamlDocumentWriter.Write(new JsonObject { ["value"] = text });

        var node = YamlDocumentReader.Read(yaml).Single()!;

        Assert.Equal(text, node["value"]!.GetValue<string>());
    }
}
