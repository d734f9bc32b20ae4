using System.CommandLine;
using ActorCrm.Client;

return await Cli.Build().Parse(args).InvokeAsync();
