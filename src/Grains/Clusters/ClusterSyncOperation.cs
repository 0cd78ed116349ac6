namespace CompassCi.Grains.Clusters;

/// <summary>What an lkp-cluster-sync request asks for, from its <c>state</c> query word (see <see cref="ClusterSyncWords"/>).</summary>
public enum ClusterSyncOperation
{
    /// <summary><c>write_state</c>: record the node's roles, IP, direct MACs and direct IPs.</summary>
    WriteState,

    /// <summary><c>wait_start</c>: the node has started; wait until every node has.</summary>
    WaitStart,

    /// <summary><c>wait_ready</c>: the node is ready; wait until every node is.</summary>
    WaitReady,

    /// <summary><c>wait_finish</c>: a daemon node waits until every node has finished.</summary>
    WaitFinish,

    /// <summary><c>finished</c>: the node has finished; wait until every node has.</summary>
    Finished,

    /// <summary><c>abort</c>: the node gives up (the client's wait ran out); the cluster aborts.</summary>
    Abort,

    /// <summary><c>failed</c>: a program on the node failed; the cluster aborts.</summary>
    Failed,

    /// <summary><c>roles_ip</c>: list every node's roles with its IPs.</summary>
    RolesIp,

    /// <summary>
    /// <c>started</c>: the node's daemons started (lkp reports it after start_daemon succeeds); recorded as the node
    /// reaching start, answered at once without waiting for the others.
    /// </summary>
    Started,
}
