#!/usr/bin/env python3
"""Reference for the REINFORCE speed benchmark (see ../README or the --reinforce-speed mode of the benchmark program).

The same configuration as CourseLib's Reinforce.Train with default options on CartPole-v1:
policy 4-128-2 (tanh), Adam lr 1e-2, batches of whole episodes with at least 5000 steps,
undiscounted reward-to-go, loss -(1/N) sum_i sum_t r_t log pi(a_t|s_t), exactly 250,000
environment steps (about 50 epochs; the last episode is cut at the budget). CartPole is
cartpole.py beside this script: plain Python with the same physics (Euler, tau = 0.02, truncation at 500).

Usage: /usr/bin/python3 reinforce_cartpole.py [--sampler torch|numpy] [--steps N] [--seed S] [--threads T]
  --sampler torch  (default) samples each action with a forward pass of the torch module under no_grad,
                   the usual way of writing it;
  --sampler numpy  samples with a NumPy copy of the weights (the same trick the C# side uses).
Prints one line: wall seconds, steps per second, updates, mean return of the last batch.
"""
import argparse
import time

import numpy as np
import torch
import torch.nn as nn

from cartpole import CartPole


def reward_to_go(rewards):
    out = np.zeros(len(rewards))
    running = 0.0
    for t in reversed(range(len(rewards))):
        running = rewards[t] + running
        out[t] = running
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sampler", choices=["torch", "numpy"], default="torch")
    parser.add_argument("--steps", type=int, default=250_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    policy = nn.Sequential(nn.Linear(4, 128), nn.Tanh(), nn.Linear(128, 2))
    optimizer = torch.optim.Adam(policy.parameters(), lr=1e-2)
    env = CartPole(np.random.default_rng(args.seed))
    rng = np.random.default_rng(args.seed + 1)

    def numpy_weights():
        return [p.detach().numpy().copy() for p in policy.parameters()]

    start = time.perf_counter()
    steps, updates, last_mean = 0, 0, 0.0
    weights = numpy_weights()
    while steps < args.steps:
        budget = args.steps - steps
        observations, actions, weights_rtg, returns = [], [], [], []
        batch_steps = 0
        while batch_steps < args.batch and batch_steps < budget:
            obs = env.reset()
            rewards = []
            while True:
                if args.sampler == "torch":
                    with torch.no_grad():
                        logits = policy(torch.as_tensor(obs))
                    action = torch.distributions.Categorical(logits=logits).sample().item()
                else:
                    w1, b1, w2, b2 = weights
                    z = w2 @ np.tanh(w1 @ obs + b1) + b2
                    p = np.exp(z - z.max())
                    p /= p.sum()
                    action = int(rng.random() >= p[0])
                observations.append(obs)
                actions.append(action)
                obs, reward, terminated, truncated = env.step(action)
                rewards.append(reward)
                batch_steps += 1
                if terminated or truncated or batch_steps >= budget:
                    break
            weights_rtg.extend(reward_to_go(rewards))
            returns.append(sum(rewards))
        steps += batch_steps

        obs_t = torch.as_tensor(np.array(observations))
        act_t = torch.as_tensor(actions, dtype=torch.int64)
        w_t = torch.as_tensor(np.array(weights_rtg), dtype=torch.float32)
        log_pi = torch.log_softmax(policy(obs_t), dim=1).gather(1, act_t.view(-1, 1)).view(-1)
        loss = -(log_pi * w_t).sum() / len(returns)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        weights = numpy_weights()
        updates += 1
        last_mean = float(np.mean(returns))

    seconds = time.perf_counter() - start
    print(f"python sampler={args.sampler} threads={args.threads} torch={torch.__version__}: {seconds:.2f} s, "
          f"{steps / seconds:,.0f} steps/s, {updates} updates, last batch mean return {last_mean:.1f}")


if __name__ == "__main__":
    main()
