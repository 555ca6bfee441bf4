namespace CourseLib.ActorCritic;

/// <summary>
/// The figures of one actor-critic gradient update, one record per update in
/// <see cref="Training.TrainingResult{TAgent, TRecord}.History"/>: policy loss −mean(log π(a|s) Â), value loss
/// mean((V − G)²) and mean entropy of π over the update's batch.
/// </summary>
/// <param name="Update">The update's number, 1, 2, ... in the order the updates were applied.</param>
/// <param name="Step">Environment steps (over all environments or workers) when it was applied.</param>
/// <param name="Worker">The A3C worker whose gradient it was (always 0 for A2C, whose one learner steps all environments).</param>
/// <param name="PolicyLoss">L_π on the update's batch.</param>
/// <param name="ValueLoss">L_V on the update's batch.</param>
/// <param name="Entropy">Mean entropy H[π(·|s)] over the batch, in nats.</param>
public readonly record struct TrainingUpdate(long Update, long Step, int Worker, double PolicyLoss, double ValueLoss, double Entropy);
