using YamlDotNet.RepresentationModel;

namespace CompassCi.Cli.Config;

/// <summary>
/// lkp-tests' own client defaults, read as its <c>load_my_config</c> (lib/load_file.rb) reads them: every
/// <c>/etc/compass-ci/defaults/*.yaml</c>, then every <c>~/.config/compass-ci/defaults/*.yaml</c>, each file's top-level
/// keys merged over the ones before (files in name order), then <c>~/.config/compass-ci/include/lab/&lt;lab&gt;.yaml</c>
/// for the <c>lab</c> they name (where lkp keeps <c>my_token</c>).
/// </summary>
internal static class LkpDefaults
{
    /// <summary>The merged keys (SCHED_HOST, SCHED_PORT, my_token, my_account, lab, …) as text.</summary>
    public static IReadOnlyDictionary<string, string> Load(string? home, string systemFolder = "/etc/compass-ci")
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        var own = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".config", "compass-ci");
        foreach (var folder in new[] { Path.Combine(systemFolder, "defaults"), own is null ? null : Path.Combine(own, "defaults") })
        {
            if (folder is null || !Directory.Exists(folder))
            {
                continue;
            }

            foreach (var file in Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
            {
                MergeFile(merged, file);
            }
        }

        if (own is not null && merged.TryGetValue("lab", out var lab) && lab.Length > 0)
        {
            MergeFile(merged, Path.Combine(own, "include", "lab", lab + ".yaml"));
        }

        return merged;
    }

    /// <summary>A file's top-level scalar keys over <paramref name="merged"/>; a missing, empty or broken file adds nothing, as lkp's load_one_yaml.</summary>
    private static void MergeFile(Dictionary<string, string> merged, string file)
    {
        if (!File.Exists(file))
        {
            return;
        }

        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            yaml.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException)
        {
            // lkp would stop here; cci carries on with the other sources (flags, environment) and says nothing.
            return;
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode map)
        {
            return;
        }

        foreach (var (key, value) in map.Children)
        {
            if (key is YamlScalarNode { Value: { } name } && value is YamlScalarNode { Value: { } text })
            {
                merged[name] = text;
            }
        }
    }
}
