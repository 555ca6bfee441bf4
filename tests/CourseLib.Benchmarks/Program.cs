// Benchmarks: BenchmarkDotNet by default; special modes first.
//   --reinforce-speed [--python]   REINFORCE on CartPole-v1 against the Python/PyTorch reference (python/reinforce_cartpole.py)
if (args.Length > 0 && args[0] == "--reinforce-speed")
    return ReinforceSpeed.Run(args[1..]);
BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
