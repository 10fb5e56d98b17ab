using System.Text;
using Kaito.Api.Catalog;
using Kaito.Api.Validation;
using Kaito.Silo.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Kaito.Silo.Tests.Webhooks;

/// <summary>What the webhook endpoint does with a body that is not an AdmissionReview: a 400 that says so, no judgement.</summary>
public sealed class AdmissionEndpointHostileInputTests
{
    private static readonly WorkspaceAdmission Admission = new(new WorkspaceValidator(KaitoCatalog.LoadEmbedded()));

    public static TheoryData<string, byte[]> Bodies => new()
    {
        { "binary garbage", [0x00, 0xFF, 0xFE, 0x7B, 0x01, 0x80] },
        { "invalid UTF-8 inside a string", [.. Encoding.UTF8.GetBytes("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}}")] },
        { "nesting 10,000 deep", Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)) },
        { "truncated JSON", Encoding.UTF8.GetBytes("{\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"a\"") },
        { "no request", Encoding.UTF8.GetBytes("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}") },
        { "empty", [] },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_body_that_is_not_an_admission_review_gets_400_with_the_reason_and_no_judgement(string what, byte[] body)
    {
        var judged = false;
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = WebhookConfigurations.ValidatePath;
        context.Request.Body = new MemoryStream(body);
        context.Response.Body = new MemoryStream();

        await AdmissionEndpoint.HandleAsync(context, Admission, (_, _) => judged = true);

        Assert.True(context.Response.StatusCode == StatusCodes.Status400BadRequest, $"{what}: status {context.Response.StatusCode}");
        context.Response.Body.Position = 0;
        Assert.Equal("expected an admission.k8s.io/v1 AdmissionReview with a request", new StreamReader(context.Response.Body).ReadToEnd());
        Assert.False(judged);
    }
}
