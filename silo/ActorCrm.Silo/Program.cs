using ActorCrm.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddActorCrmSilo();
builder.AddActorCrmTelemetry();

var app = builder.Build();
app.MapActorCrmEndpoints();
app.Run();

/// <summary>Entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
