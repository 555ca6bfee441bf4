#!/usr/bin/env python3
"""Reference timing for CourseLib's DQN: the same algorithm and settings in Python with PyTorch.

DQN (Mnih et al. 2015) on CartPole-v1 with the settings of CourseLib's DqnOptions.CleanRLCartPole
(CleanRL's CartPole-v1 settings): Adam lr 2.5e-4, replay buffer 10,000, batch 128, gamma 0.99, target network
copied every 500 steps, one update every 10 steps after 10,000 warm-up steps, epsilon 1 -> 0.05 over half the
run, a 4-120-84-2 ReLU network, the squared TD error, no gradient clipping. With --huber: the Huber loss and
gradient-norm clipping at 10 instead (CourseLib's default DqnOptions); with these settings that run
collapses on CartPole, in Python as in C#.
CartPole-v1 is cartpole.py beside this script (Gymnasium's physics written out).

Run with Debian's Python and python3-torch, one thread:
    /usr/bin/python3 tests/CourseLib.Benchmarks/python/dqn_cartpole.py --steps 500000 --threads 1
It prints environment steps per second (training only) and the greedy policy's mean return over 20 episodes.
"""
import argparse
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from cartpole import CartPole


class ReplayBuffer:
    def __init__(self, capacity, observation_length, rng):
        self.observations = np.zeros((capacity, observation_length), dtype=np.float32)
        self.next_observations = np.zeros((capacity, observation_length), dtype=np.float32)
        self.actions = np.zeros(capacity, dtype=np.int64)
        self.rewards = np.zeros(capacity, dtype=np.float32)
        self.terminated = np.zeros(capacity, dtype=np.float32)
        self.capacity, self.count, self.next = capacity, 0, 0
        self.rng = rng

    def add(self, observation, action, reward, next_observation, terminated):
        i = self.next
        self.observations[i] = observation
        self.next_observations[i] = next_observation
        self.actions[i] = action
        self.rewards[i] = reward
        self.terminated[i] = terminated
        self.next = (i + 1) % self.capacity
        self.count = min(self.count + 1, self.capacity)

    def sample(self, batch_size):
        i = self.rng.integers(0, self.count, size=batch_size)
        return (torch.from_numpy(self.observations[i]), torch.from_numpy(self.actions[i]), torch.from_numpy(self.rewards[i]),
                torch.from_numpy(self.next_observations[i]), torch.from_numpy(self.terminated[i]))


def network():
    return nn.Sequential(nn.Linear(4, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 2))


def greedy(q, observation):
    with torch.no_grad():
        return int(q(torch.from_numpy(observation).unsqueeze(0)).argmax(dim=1).item())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--huber", action="store_true", help="Huber loss and gradient clipping at 10 instead of the squared error")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    learning_rate, buffer_size, batch_size, gamma = 2.5e-4, 10_000, 128, 0.99
    target_interval, train_frequency, learning_starts = 500, 10, 10_000
    start_epsilon, end_epsilon, exploration_steps = 1.0, 0.05, args.steps // 2

    q, target = network(), network()
    target.load_state_dict(q.state_dict())
    optimizer = torch.optim.Adam(q.parameters(), lr=learning_rate)
    memory = ReplayBuffer(buffer_size, 4, rng)
    env = CartPole(rng)

    observation = env.reset()
    episode_return, returns = 0.0, []
    clock, cpu_clock = time.perf_counter(), time.process_time()
    for t in range(1, args.steps + 1):
        epsilon = max(end_epsilon, start_epsilon + (end_epsilon - start_epsilon) * (t - 1) / exploration_steps)
        action = int(rng.integers(2)) if rng.random() < epsilon else greedy(q, observation)
        next_observation, reward, terminated, truncated = env.step(action)
        memory.add(observation, action, reward, next_observation, terminated)
        episode_return += reward
        observation = next_observation
        if terminated or truncated:
            returns.append(episode_return)
            episode_return = 0.0
            observation = env.reset()

        if t > learning_starts and t % train_frequency == 0:
            s, a, r, s_next, done = memory.sample(batch_size)
            with torch.no_grad():
                y = r + gamma * (1.0 - done) * target(s_next).max(dim=1).values   # no bootstrap through termination
            q_sa = q(s).gather(1, a.unsqueeze(1)).squeeze(1)
            delta = q_sa - y                                                       # TD error
            loss = F.smooth_l1_loss(q_sa, y) if args.huber else 0.5 * (delta * delta).mean()
            optimizer.zero_grad()
            loss.backward()
            if args.huber:
                nn.utils.clip_grad_norm_(q.parameters(), 10.0)
            optimizer.step()
        if t > learning_starts and t % target_interval == 0:
            target.load_state_dict(q.state_dict())
    elapsed, cpu = time.perf_counter() - clock, time.process_time() - cpu_clock

    evaluation_env = CartPole(np.random.default_rng(12345))
    evaluation = []
    for _ in range(20):
        observation, total, done = evaluation_env.reset(), 0.0, False
        while not done:
            observation, reward, terminated, truncated = evaluation_env.step(greedy(q, observation))
            total += reward
            done = terminated or truncated
        evaluation.append(total)
    # CPU time as well as wall time: on a shared machine the process's CPU seconds are the fairer measure.
    print(f"python+pytorch {torch.__version__}, {args.threads} thread(s): {args.steps} steps in {elapsed:.1f} s wall "
          f"({args.steps / elapsed:,.0f} steps/s), {cpu:.1f} s CPU ({args.steps / cpu:,.0f} steps per CPU-second); "
          f"last 20 training returns {np.mean(returns[-20:]):.1f}; greedy evaluation over 20 episodes {np.mean(evaluation):.1f}")


if __name__ == "__main__":
    main()
