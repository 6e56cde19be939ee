package fr.zlv.entrepot.orchestrator.asset;

import java.util.List;
import java.util.Set;

/**
 * What the orchestrator knows of an asset before running anything: its key, what it is built from, how it is
 * presented (group, kind, owner, description, tags) and the checks that judge it.
 */
public record AssetSpec(AssetKey key, Set<AssetKey> upstream, String group, String kind, String owner,
                        String description, Set<String> tags, List<CheckSpec> checks) {

    public AssetSpec {
        upstream = Set.copyOf(upstream);
        tags = Set.copyOf(tags);
        checks = List.copyOf(checks);
        group = group == null ? "default" : group;
        kind = kind == null ? "" : kind;
        owner = owner == null ? "" : owner;
        description = description == null ? "" : description;
    }

    public static AssetSpec of(String key, String... upstream) {
        return new AssetSpec(new AssetKey(key), java.util.Arrays.stream(upstream).map(AssetKey::new)
                .collect(java.util.stream.Collectors.toSet()), null, null, null, null, Set.of(), List.of());
    }

    public AssetSpec withGroup(String newGroup) {
        return new AssetSpec(key, upstream, newGroup, kind, owner, description, tags, checks);
    }

    public AssetSpec withKind(String newKind) {
        return new AssetSpec(key, upstream, group, newKind, owner, description, tags, checks);
    }

    public AssetSpec withTags(Set<String> newTags) {
        return new AssetSpec(key, upstream, group, kind, owner, description, newTags, checks);
    }

    public AssetSpec withChecks(List<CheckSpec> newChecks) {
        return new AssetSpec(key, upstream, group, kind, owner, description, tags, newChecks);
    }
}
