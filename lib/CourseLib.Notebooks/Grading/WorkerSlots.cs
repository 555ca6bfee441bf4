namespace CourseLib.Notebooks.Grading;

/// <summary>
/// The worker slots of a grading run: each submission that runs takes the lowest free slot, which picks its worker's
/// core (slot i runs on core i mod cores) and, as root, its user id (so the process limit counts that worker only).
/// </summary>
internal sealed class WorkerSlots
{
    readonly List<int> _inUse = [];

    /// <summary>Takes the lowest slot not in use.</summary>
    public int Take()
    {
        lock (_inUse)
        {
            int slot = 0;
            while (_inUse.Contains(slot)) slot++;
            _inUse.Add(slot);
            return slot;
        }
    }

    /// <summary>Gives a slot back.</summary>
    public void Return(int slot)
    {
        lock (_inUse) _inUse.Remove(slot);
    }
}
