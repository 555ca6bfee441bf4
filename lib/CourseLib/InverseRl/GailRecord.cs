namespace CourseLib.InverseRl;

/// <summary>One round of GAIL (one record per update in <see cref="Training.TrainingResult{TAgent, TRecord}.History"/>).</summary>
/// <param name="Round">1, 2, ...</param>
/// <param name="Step">Environment steps played so far, this round's episodes included.</param>
/// <param name="DiscriminatorLoss">The discriminator's loss after its update.</param>
/// <param name="ExpertScore">Mean D(s,a) over the expert's pairs (weighted by their occupancy) after the update.</param>
/// <param name="PolicyScore">Mean D(s,a) over this round's policy pairs after the update.</param>
/// <param name="OccupancyDistance">Total-variation distance between the new policy's exact occupancy measure and the demonstrations'.</param>
/// <param name="Policy">The policy π[s, a] after this round's policy step.</param>
/// <param name="DiscriminatorLogits">The discriminator's logits w[s, a] after this round's update (D = σ(w)).</param>
public sealed record GailRecord(int Round, long Step, double DiscriminatorLoss, double ExpertScore, double PolicyScore,
    double OccupancyDistance, double[,] Policy, double[,] DiscriminatorLogits);
