using System.Net;
using Azure.Data.Tables;
using k8s;
using Kaito.CrdBridge.Provisioning;
using Kaito.Grains.Hosting;
using Kaito.Silo.Audit;
using Kaito.Silo.Operations;
using Kaito.Silo.Telemetry;
using Kaito.Silo.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Kaito.Silo.Run;

/// <summary>
/// The control plane in one generic host: an Orleans silo with the Workspace and Machine grains on the per-event
/// Azure Table log, Azure Table reminders, localhost or Azure Table clustering, and the Kubernetes side (watchers,
/// status writer, object writer, node provisioner) registered as the grains' ports.
/// </summary>
public static class KaitoSiloHost
{
    public static IHost Build(IConfiguration configuration, RunOptions options, TableServiceClient tables, IKubernetes kubernetes,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddConfiguration(configuration);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        if (string.Equals(configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            // One JSON object per line with the [LoggerMessage] fields as properties, for a log collector.
            builder.Logging.AddJsonConsole(o => o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ");
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }

        builder.Services.AddKaitoOperations(configuration.GetSection(OperationsOptions.SectionName));
        builder.Services.AddKaitoTracing(configuration.GetSection(TelemetryOptions.SectionName));

        // First, so that the webhooks answer before the bridge starts acting on Workspaces.
        builder.Services.AddKaitoAdmissionWebhooks(configuration.GetSection(AdmissionWebhookOptions.SectionName));
        builder.UseOrleans(silo =>
        {
            if (options.Clustering == "azuretable")
            {
                silo.UseAzureStorageClustering(c =>
                {
                    c.TableServiceClient = tables;
                    c.TableName = options.TablePrefix + "Silos";
                });
                if (string.IsNullOrEmpty(options.AdvertisedAddress))
                {
                    silo.ConfigureEndpoints(options.SiloPort, options.GatewayPort);
                }
                else
                {
                    silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort);
                }

                silo.Configure<ClusterOptions>(c =>
                {
                    c.ClusterId = options.ClusterId;
                    c.ServiceId = options.ServiceId;
                });
            }
            else
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            }

            silo.UseAzureTableReminderService(r =>
            {
                r.TableServiceClient = tables;
                r.TableName = options.TablePrefix + "Reminders";
            });
            silo.Configure<ReminderOptions>(r => configuration.GetSection("Reminders").Bind(r));
            silo.Configure<ClusterMembershipOptions>(m => SiloMembership.Configure(m, configuration));
            silo.AddKaitoGrains(
                g =>
                {
                    configuration.GetSection("Grains").Bind(g);
                    g.TableServiceClient = tables;
                    g.TablePrefix = options.TablePrefix;
                },
                m =>
                {
                    configuration.GetSection("Machines").Bind(m);
                    m.Provisioner = Enum.TryParse<NodeProvisionerKind>(configuration["NodeProvisioner:Kind"], ignoreCase: true, out var kind)
                        ? kind.ToString()
                        : nameof(NodeProvisionerKind.NodeClaim);
                });
            if (configuration.GetValue<bool>("Operations:Dashboard"))
            {
                silo.AddDashboard();
            }
        });

        builder.Services.AddKaitoAuditApi(configuration.GetSection(AuditOptions.SectionName));
        builder.Services.AddSingleton(kubernetes);
        KaitoPorts.Add(builder.Services, configuration);
        builder.Services.AddHostedService<SiloLossResync>();
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }
}
