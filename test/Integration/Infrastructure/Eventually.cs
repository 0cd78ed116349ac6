namespace CompassCi.Tests.Integration.Infrastructure;

/// <summary>Waits for a condition with a deadline (never a fixed sleep): returns as soon as it holds.</summary>
public static class Eventually
{
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }
}
