using MicipPlanner.Web.Startup;

var builder = WebApplication.CreateBuilder(args);
builder.AddMicipPlanner(args);

var app = builder.Build();
app.UseMicipPlanner();

// A command-line task such as --create-admin runs and exits without serving.
if (await CommandLineTasks.RunAsync(app, args) is { } exitCode)
    return exitCode;

await app.RunAsync();
return 0;

/// <summary>Entry point type, public so integration tests can host the app.</summary>
public partial class Program;
