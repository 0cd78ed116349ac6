using CompassCi.Grains.Accounts;
using CompassCi.Grains.FairShare;
using Microsoft.Extensions.Options;

namespace CompassCi.Tests.Unit.FairShare;

public sealed class UsageLedgerTests
{
    private static UsageLedger Ledger(int? maxRunning = null) =>
        new(Options.Create(new FairShareOptions()), Options.Create(new QuotaOptions { MaxRunning = maxRunning }), TimeProvider.System);

    private static JobRecord Job(string account, string stage, long? boot = null, long? finish = null) => new()
    {
        Id = 5,
        SubmitTime = 0,
        Account = account,
        Suite = "s",
        QueueKey = "k",
        Stage = stage,
        Priority = 0,
        MemoryMb = 0,
        Version = 1,
        Document = "{}",
        BootTime = boot,
        FinishTime = finish,
    };

    private static FairSharePicture Picture(double mean, int? defaultCap, params AccountStanding[] accounts) =>
        new(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(), mean, accounts.ToDictionary(a => a.Account, StringComparer.Ordinal), defaultCap);

    [Fact]
    public void A_job_entering_a_held_stage_counts_against_its_account_and_its_end_adds_its_machine_seconds()
    {
        var ledger = Ledger();
        ledger.Record(Job("alice", JobStages.Submit), Job("alice", JobStages.Boot, boot: 1_000));
        ledger.Record(Job("alice", JobStages.Boot, boot: 1_000), Job("alice", JobStages.Running, boot: 1_000));
        Assert.True(ledger.HasChanges);

        var started = Assert.Single(ledger.TakeReport().Deltas);
        Assert.Equal(new UsageDelta("alice", 1, 0, 0, 0, QueuedChange: -1), started);
        ledger.Accept(Picture(10, null, new AccountStanding("alice", 1, 0, 1, null, false)));
        Assert.False(ledger.HasChanges);

        ledger.Record(Job("alice", JobStages.Running, boot: 1_000), Job("alice", JobStages.Finish, boot: 1_000, finish: 31_000));
        var ended = Assert.Single(ledger.TakeReport().Deltas);
        Assert.Equal(new UsageDelta("alice", -1, 30, 1, 30), ended);
    }

    [Fact]
    public void Queued_jobs_follow_inserts_hand_outs_give_backs_and_reschedules_and_the_merged_picture()
    {
        var ledger = Ledger();
        ledger.Queued("carol", 3);                                                                   // a three-node cluster submitted
        ledger.Record(Job("carol", JobStages.Submit), Job("carol", JobStages.Boot, boot: 0));        // one handed out
        Assert.Equal(2, ledger.QueuedOf("carol"));

        ledger.Record(Job("carol", JobStages.Boot, boot: 0), Job("carol", JobStages.Submit));        // given back
        ledger.Record(Job("carol", JobStages.Running, boot: 0), Job("carol", JobStages.Finish, boot: 0, finish: 1), successor: Job("carol", JobStages.Submit));
        Assert.Equal(4, ledger.QueuedOf("carol"));
        Assert.Equal(4, ledger.TakeReport().Deltas.Single().QueuedChange);

        // The picture the keeper answers includes this silo's report; later changes add to it.
        ledger.Accept(Picture(10, null, new AccountStanding("carol", 1, 0, 0, null, false, Queued: 10)));
        ledger.Queued("carol", 1);
        Assert.Equal(11, ledger.QueuedOf("carol"));
        Assert.Equal(0, ledger.QueuedOf("nobody"));
    }

    [Fact]
    public void A_report_whose_answer_was_lost_is_sent_again_unchanged_and_still_counts_locally()
    {
        var ledger = Ledger();
        ledger.Record(Job("bob", JobStages.Submit), Job("bob", JobStages.Boot, boot: 0));
        var first = ledger.TakeReport();
        ledger.Record(Job("bob", JobStages.Submit), Job("bob", JobStages.Boot, boot: 0));

        Assert.Same(first, ledger.TakeReport());
        Assert.Equal(2, ledger.Current().Accounts.Single(a => a.Account == "bob").Held);

        ledger.Accept(Picture(10, null, new AccountStanding("bob", 1, 0, 1, null, false)));
        var second = ledger.TakeReport();
        Assert.True(second.Sequence > first.Sequence);
        Assert.Equal(2, ledger.Current().Accounts.Single(a => a.Account == "bob").Held);
    }

    [Fact]
    public void Claims_in_flight_count_toward_the_running_cap_and_the_rank()
    {
        var ledger = Ledger(maxRunning: 2);
        ledger.Accept(Picture(10, 2, new AccountStanding("carol", 1, 0, 1, 2, true), new AccountStanding("dave", 2, 0, 0, null, true)));
        Assert.False(ledger.AtCap("carol"));
        var before = ledger.Rank("carol");

        ledger.BeginClaim("carol");
        Assert.True(ledger.AtCap("carol"));
        Assert.Equal((1 + 1) * 10.0, ledger.Rank("carol"), 6);
        Assert.True(ledger.Rank("carol") > before);

        ledger.EndClaim("carol");
        Assert.False(ledger.AtCap("carol"));
        Assert.Equal((1, 2), ledger.CapOf("carol"));
        // No cap of its own and none configured for the picture's account: the default applies.
        Assert.Equal((0, 2), ledger.CapOf("erin"));
    }

    [Fact]
    public void The_account_furthest_below_its_share_ranks_first()
    {
        var ledger = Ledger();
        ledger.Accept(Picture(10,
            null,
            new AccountStanding("one-share", 1, Usage: 100, Held: 0, null, true),
            new AccountStanding("two-shares", 2, Usage: 150, Held: 0, null, true)));

        Assert.True(ledger.Rank("two-shares") < ledger.Rank("one-share"));
        Assert.True(ledger.Rank("newcomer") < ledger.Rank("two-shares"));
    }

    [Fact]
    public void A_capped_accounts_job_ending_frees_a_slot_for_waiting_testboxes()
    {
        var ledger = Ledger(maxRunning: 1);
        ledger.Record(Job("carol", JobStages.Submit), Job("carol", JobStages.Boot, boot: 0));
        var freed = ledger.SlotFreed;
        Assert.False(freed.IsCompleted);

        ledger.Record(Job("carol", JobStages.Running, boot: 0), Job("carol", JobStages.Finish, boot: 0, finish: 10));

        Assert.True(freed.IsCompleted);
        Assert.False(ledger.SlotFreed.IsCompleted);
    }
}
