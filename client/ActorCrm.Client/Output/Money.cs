using System.Globalization;

namespace ActorCrm.Client.Output;

/// <summary>Amounts in minor units (fen) shown in major units (yuan) with thousands separators.</summary>
public static class Money
{
    public static string Format(long minor) =>
        (minor / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);

    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
