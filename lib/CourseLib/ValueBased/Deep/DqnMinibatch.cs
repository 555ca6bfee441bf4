using static TorchSharp.torch;

namespace CourseLib.ValueBased.Deep;

/// <summary>
/// A minibatch of B transitions (s, a, r, s′, terminated) as tensors, the input of a TorchSharp DQN update
/// (<see cref="ConciseDqn.Update(TorchSharp.Modules.Sequential, TorchSharp.Modules.Sequential, TorchSharp.torch.optim.Optimizer, DqnMinibatch, double, double)"/>,
/// and notebook 06's <c>DqnUpdate</c> exercise).
/// </summary>
/// <param name="Observations">s, float32 [B, observation length].</param>
/// <param name="Actions">a, int64 [B].</param>
/// <param name="Rewards">r, float32 [B].</param>
/// <param name="NextObservations">s′, float32 [B, observation length].</param>
/// <param name="Terminated">1 where s′ is terminal (no bootstrap), 0 where it is not (a truncation bootstraps), float32 [B].</param>
public sealed record DqnMinibatch(Tensor Observations, Tensor Actions, Tensor Rewards, Tensor NextObservations, Tensor Terminated)
{
    /// <summary>The tensors of a sampled <see cref="ReplayBatch"/> (created in the current dispose scope).</summary>
    public static DqnMinibatch From(ReplayBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int n = batch.ObservationLength;
        return new DqnMinibatch(
            tensor(batch.Observations).reshape(-1, n),
            tensor(batch.Actions.Select(a => (long)a).ToArray()),
            tensor(batch.Rewards),
            tensor(batch.NextObservations).reshape(-1, n),
            tensor(batch.Terminated.Select(d => d ? 1f : 0f).ToArray()));
    }
}
