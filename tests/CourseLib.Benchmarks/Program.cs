// Benchmarks: BenchmarkDotNet by default; special modes first.
//   --reinforce-speed [--python]   REINFORCE on CartPole-v1 against the Python/PyTorch reference (python/reinforce_cartpole.py)
//   --value-based-speed [--python] [--skip-run]   tabular updates/s, DQN steps/s against python/dqn_cartpole.py, DQN sample efficiency
//   --train-pong [decisions] [seed] [folder]   retrains the course's Pong policy (data/pong-reinforce.policy)
//   --a3c-stress [runs] [steps]                A3C again and again (2-4 workers): failures and non-finite parameters
//   --a2c-seeds [steps] [seeds] [key=value...] A2C's final greedy policy per seed after a fixed budget
//   --a3c-seeds, --dqn-seeds, --pong-shipped, --mountaincar-seeds   the learning tests' seed sweeps (LearningSeeds.cs)
//   --concise-dqn [steps] [seeds] [first=N]    ConciseDqn against the fast path on CartPole: seeds solved, steps/s (LearningSeeds.cs)
//   --dqn-loop-seeds [steps] [seeds] [key=value...]  plain DQN per seed, as notebook 06's DqnUpdate outcome check trains (ValueBased/DqnLoopSeeds.cs)
//   --rainbow-ablation [steps] [seeds] [every=E]  notebook 06's Rainbow ablation: curves and compute time per variant
//   --reinforce-seeds [steps] [seeds] [key=value...]   REINFORCE on CartPole per seed: greedy evaluations along the way (ReinforceSeeds.cs)
//   --reinforce-mistakes [steps] [seeds] [parallel=P]  REINFORCE with notebook 02's exercises right and with typical mistakes
//   --digits-seeds [seeds] [updates] [updates]         notebook 03's digit classifier per seed, REINFORCE and cross-entropy
//   --tabular-seeds cliff|wrong|sarsa|lake [seeds]   the tabular learning tests' and notebook 05's seed sweeps (ValueBased/TabularSeeds.cs)
//   --a3c-gradient [steps] [seeds]             A3C with the handwritten gradient against TorchSharp autograd on the workers
//   --torch-faults [runs] [path...]            every TorchSharp path under forced collections: native faults per path
//   --generate-characters [file]               remakes data/characters.bin.gz from the Noto fonts (data/README.md)
//   --one-shot-characters [seeds] [key=value]  notebook 10's one-shot experiment on the character set, with times
//   --check-characters                         a fresh generation must equal the shipped data/characters.bin.gz
//   --maxent-irl-seeds, --gail-seeds           inverse RL's learning tests' seed sweeps (Sections/InverseRlSeeds.cs)
//   --siamese-digits-seeds, --multitask-seeds, --eszsl-triples   the Frontiers learning tests' sweeps (Sections/FrontiersSeeds.cs)
//   --fingerprints                             short seeded runs of every trainer that uses a shared piece (Fingerprints.cs)
if (args.Length > 0 && args[0] == "--reinforce-speed")
    return ReinforceSpeed.Run(args[1..]);
if (args.Length > 0 && args[0] == "--value-based-speed")
    return CourseLib.Benchmarks.ValueBased.ValueBasedSpeed.Run(args[1..]);
if (args.Length > 0 && args[0] == "--a3c-stress")
    return CourseLib.Benchmarks.ActorCritic.ActorCriticRuns.A3CStress(args[1..]);
if (args.Length > 0 && args[0] == "--a2c-seeds")
    return CourseLib.Benchmarks.ActorCritic.ActorCriticRuns.A2CSeeds(args[1..]);
if (args.Length > 0 && args[0] == "--a3c-seeds")
    return CourseLib.Benchmarks.LearningSeeds.A3CSeeds(args[1..]);
if (args.Length > 0 && args[0] == "--dqn-seeds")
    return CourseLib.Benchmarks.LearningSeeds.DqnSeeds(args[1..]);
if (args.Length > 0 && args[0] == "--concise-dqn")
    return CourseLib.Benchmarks.LearningSeeds.ConciseDqnSeeds(args[1..]);
if (args.Length > 0 && args[0] == "--dqn-loop-seeds")
    return CourseLib.Benchmarks.ValueBased.DqnLoopSeeds.Run(args[1..]);
if (args.Length > 0 && args[0] == "--rainbow-ablation")
    return CourseLib.Benchmarks.ValueBased.RainbowAblationRuns.Run(args[1..]);
if (args.Length > 0 && args[0] == "--pong-shipped")
    return CourseLib.Benchmarks.LearningSeeds.PongShipped(args[1..]);
if (args.Length > 0 && args[0] == "--reinforce-seeds")
    return CourseLib.Benchmarks.ReinforceSeeds.Run(args[1..]);
if (args.Length > 0 && args[0] == "--reinforce-mistakes")
    return CourseLib.Benchmarks.ReinforceMistakes.Run(args[1..]);
if (args.Length > 0 && args[0] == "--digits-seeds")
    return CourseLib.Benchmarks.DigitsSeeds.Run(args[1..]);
if (args.Length > 0 && args[0] == "--mountaincar-seeds")
    return CourseLib.Benchmarks.LearningSeeds.MountainCarSeeds(args[1..]);
if (args.Length > 0 && args[0] == "--tabular-seeds")
    return CourseLib.Benchmarks.ValueBased.TabularSeeds.Run(args[1..]);
if (args.Length > 0 && args[0] == "--a3c-gradient")
    return CourseLib.Benchmarks.ActorCritic.A3CGradientComparison.Run(args[1..]);
if (args.Length > 0 && args[0] == "--torch-faults")
    return TorchFaults.Run(args[1..]);
if (args.Length > 0 && args[0] is "--generate-characters" or "--check-characters")
    return CourseLib.Benchmarks.CharacterSet.CharacterGenerator.Run(args[1..], check: args[0] == "--check-characters");
if (args.Length > 0 && args[0] == "--one-shot-characters")
    return CourseLib.Benchmarks.CharacterSet.OneShotCharactersRuns.Run(args[1..]);
if (args.Length > 0 && args[0] == "--maxent-irl-seeds")
    return CourseLib.Benchmarks.Sections.InverseRlSeeds.MaxEntIrl(args[1..]);
if (args.Length > 0 && args[0] == "--gail-seeds")
    return CourseLib.Benchmarks.Sections.InverseRlSeeds.Gail(args[1..]);
if (args.Length > 0 && args[0] == "--siamese-digits-seeds")
    return CourseLib.Benchmarks.Sections.FrontiersSeeds.SiameseDigits(args[1..]);
if (args.Length > 0 && args[0] == "--multitask-seeds")
    return CourseLib.Benchmarks.Sections.FrontiersSeeds.MultiTask(args[1..]);
if (args.Length > 0 && args[0] == "--eszsl-triples")
    return CourseLib.Benchmarks.Sections.FrontiersSeeds.EszslTriples(args[1..]);
if (args.Length > 0 && args[0] == "--fingerprints")
    return CourseLib.Benchmarks.Fingerprints.Run(args[1..]);
if (args.Length > 0 && args[0] == "--train-pong")
    return TrainPong.Run(args[1..]);
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
