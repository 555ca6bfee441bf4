namespace CourseLib.Training;

/// <summary>
/// A scope in which libtorch uses one intra-op thread, restoring the previous count when it ends:
/// <c>using var _ = TorchThreads.One();</c>. The course's networks are small, and one thread is fastest for them
/// (several times faster than two on a busy 2-core machine). Every trainer that calls TorchSharp opens one.
/// </summary>
public static class TorchThreads
{
    /// <summary>Sets libtorch to one thread until the returned scope is disposed.</summary>
    public static Scope One() => new(1);

    /// <summary>The scope <see cref="One"/> returns.</summary>
    public readonly struct Scope : IDisposable
    {
        readonly int _previous;

        internal Scope(int threads)
        {
            _previous = TorchSharp.torch.get_num_threads();
            if (_previous != threads) TorchSharp.torch.set_num_threads(threads);
        }

        /// <summary>Restores the thread count from before the scope.</summary>
        public void Dispose()
        {
            if (_previous > 0 && TorchSharp.torch.get_num_threads() != _previous) TorchSharp.torch.set_num_threads(_previous);
        }
    }
}
