using Google.Protobuf;
using Spectre.Console;

namespace ActorCrm.Client.Output;

/// <summary>Prints resources: JSON Lines (one message per line) or, for people, tables.</summary>
public static class DetailView
{
    public static void WriteJsonLines(CliHost host, IEnumerable<IMessage> messages)
    {
        foreach (var message in messages) host.OutText.WriteLine(ProtoJson.Format(message));
        host.OutText.Flush();
    }

    /// <summary>One two-column table per resource: field name and value (nested values as compact JSON).</summary>
    public static void WriteDetails(CliHost host, IMessage message)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("field").AddColumn("value");
        table.Title = new TableTitle(message.Descriptor.Name);
        foreach (var (name, value) in ProtoJson.Fields(message))
            table.AddRow(new Text(name), new Text(value));
        host.Out.Write(table);
    }
}
