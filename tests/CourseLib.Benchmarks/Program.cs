// Benchmarks: BenchmarkDotNet by default; special modes first.
//   --reinforce-speed [--python]   REINFORCE on CartPole-v1 against the Python/PyTorch reference (python/reinforce_cartpole.py)
//   --value-based-speed [--python] [--skip-run]   tabular updates/s, DQN steps/s against python/dqn_cartpole.py, DQN sample efficiency
//   --train-pong [decisions] [seed] [folder]   retrains the course's Pong policy (data/pong-reinforce.policy)
if (args.Length > 0 && args[0] == "--reinforce-speed")
    return ReinforceSpeed.Run(args[1..]);
if (args.Length > 0 && args[0] == "--value-based-speed")
    return CourseLib.Benchmarks.ValueBased.ValueBasedSpeed.Run(args[1..]);
if (args.Length > 0 && args[0] == "--train-pong")
    return TrainPong.Run(args[1..]);
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
