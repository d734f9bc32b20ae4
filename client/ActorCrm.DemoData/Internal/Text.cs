using System.Globalization;

namespace ActorCrm.DemoData.Internal;

/// <summary>Small text helpers: Chinese numerals, money, random picks.</summary>
internal static class Text
{
    private static readonly string[] Digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

    /// <summary>Chinese numeral for 1..99 ("十二", "二十五"); other values as ASCII digits.</summary>
    public static string Cn(int n)
    {
        if (n <= 0 || n >= 100) return n.ToString(CultureInfo.InvariantCulture);
        if (n < 10) return Digits[n];
        var tens = n / 10;
        var units = n % 10;
        return (tens == 1 ? "" : Digits[tens]) + "十" + (units == 0 ? "" : Digits[units]);
    }

    /// <summary>"12.3亿元" or "450万元" (integer arithmetic only, so it never depends on culture).</summary>
    public static string Money(long yuan)
    {
        if (yuan >= 100_000_000)
        {
            var tenths = yuan / 10_000_000;
            return tenths % 10 == 0 ? $"{tenths / 10}亿元" : $"{tenths / 10}.{tenths % 10}亿元";
        }
        return $"{Math.Max(1, yuan / 10_000)}万元";
    }

    /// <summary>A city's name without its administrative suffix ("成都市" → "成都"); districts and prefectures stay whole.</summary>
    public static string CityBase(string city) =>
        city.Length > 2 && city.EndsWith('市') ? city[..^1] : city;

    public static string StripCompanySuffix(string name) =>
        name.EndsWith("有限公司", StringComparison.Ordinal) ? name[..^4] : name;

    public static T Pick<T>(this Random rng, T[] items) => items[rng.Next(items.Length)];

    public static T Pick<T>(this Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    /// <summary>True with the given probability in percent.</summary>
    public static bool Chance(this Random rng, int percent) => rng.Next(100) < percent;

    /// <summary>A value in [min, max], both inclusive.</summary>
    public static int Between(this Random rng, int min, int max) => rng.Next(min, max + 1);

    /// <summary>A value in [min, max], both inclusive, rounded down to a multiple of <paramref name="step"/> (at least one step).</summary>
    public static long Between(this Random rng, long min, long max, long step)
    {
        var value = rng.NextInt64(min, max + 1);
        return Math.Max(step, value / step * step);
    }

    /// <summary><paramref name="count"/> distinct indices of 0..n-1 in random order (count is clamped to n).</summary>
    public static int[] Sample(this Random rng, int n, int count)
    {
        count = Math.Min(count, n);
        var pool = new int[n];
        for (var i = 0; i < n; i++) pool[i] = i;
        for (var i = 0; i < count; i++)
        {
            var j = rng.Next(i, n);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        return pool[..count];
    }

    /// <summary>Shuffles in place (Fisher–Yates).</summary>
    public static void Shuffle<T>(this Random rng, IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
