using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Kaito.Silo.Webhooks;

/// <summary>The HTTP side: POST /validate and /mutate take an AdmissionReview and answer one with the same uid.</summary>
public static class AdmissionEndpoint
{
    public static async Task HandleAsync(HttpContext context, WorkspaceAdmission admission, Action<AdmissionRequest, AdmissionResponse> refused)
    {
        Func<AdmissionRequest, AdmissionResponse>? judge = context.Request.Path.Value switch
        {
            WebhookConfigurations.ValidatePath => admission.Validate,
            WebhookConfigurations.MutatePath => admission.Mutate,
            _ => null,
        };
        if (judge is null || !HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        AdmissionReview? review;
        try
        {
            review = await JsonSerializer.DeserializeAsync<AdmissionReview>(context.Request.Body, AdmissionReview.Json, context.RequestAborted);
        }
        catch (JsonException)
        {
            review = null;
        }

        if (review?.Request is not { } request)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("expected an admission.k8s.io/v1 AdmissionReview with a request", context.RequestAborted);
            return;
        }

        var response = judge(request);
        if (!response.Allowed)
        {
            refused(request, response);
        }

        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new AdmissionReview { ApiVersion = review.ApiVersion, Response = response },
            AdmissionReview.Json, context.RequestAborted);
    }
}
