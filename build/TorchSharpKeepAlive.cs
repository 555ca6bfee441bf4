// Closes TorchSharp 0.107.0's native use-after-free at the root, in every process that loads the assembly.
//
// The fault: TorchSharp hands libtorch raw pointers read from a Scalar's or a Tensor's `Handle`, e.g.
// THSTensor_add(this.Handle, other.Handle, alpha.Handle) for `a + b`, where `alpha` is a Scalar made implicitly from
// the number 1. After the pointer is read, nothing keeps the managed object alive, so the JIT may treat it as dead.
// Both classes have finalizers that free the native object. When a collection runs on another thread during the
// native call (other threads allocate in every notebook engine), the finalizer frees the scalar or tensor that
// libtorch is still reading: "Unknown scalar type", "toFloat", "Expected false to be true", or a segmentation fault.
// Upstream's fix (dotnet/TorchSharp#1434, open) is not released.
//
// The step: rewrite the TorchSharp.dll that a build copies to its output so that reading a native handle also
// records the object in a small per-thread ring (TorchSharp.NativeCallKeepAlive, 1,024 slots). An object in the ring
// is reachable, so no finalizer can free it, until its thread has read 1,024 more handles. A thread inside a native
// call reads no handles, so every object whose handle a call received outlives the call (up to 1,024 per call; the
// largest call here passes a few). Objects are released later, never earlier: an explicit Dispose still frees at once.
// Reading a handle costs one thread-static store.
//
// What is rewritten: Scalar.get_Handle and Tensor.get_Handle record `this`; every other method that loads the
// `handle` field of a Scalar or Tensor directly (except the constructors and Dispose) records the object first.
// Nothing else changes. The assembly keeps its name, version and public key (its strong-name signature is dropped;
// .NET does not check it). build/TorchSharpNative.targets makes the rewritten copy once per original (cached by its
// hash in artifacts/torchsharp-keepalive/) and has every build copy that one instead of the package's; delete both,
// and the PackageDownload of Mono.Cecil in Directory.Build.props, when a TorchSharp release carries the upstream fix.
//
// This file is compiled twice: as an MSBuild inline task, and into the test project (COURSELIB_TESTS defined).
#nullable disable
using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;

public static class TorchSharpKeepAlive
{
    /// <summary>The type the step adds: its presence marks a rewritten assembly.</summary>
    public const string MarkerNamespace = "TorchSharp", MarkerName = "NativeCallKeepAlive";

    /// <summary>Slots in each thread's ring (a power of two).</summary>
    public const int RingSize = 1024;

    static readonly string[] KeptTypes = { "TorchSharp.Scalar", "TorchSharp.torch/Tensor" };

    /// <summary>True when the assembly file already carries the step (a quick scan for the marker's name).</summary>
    public static bool IsApplied(byte[] assembly)
    {
        var marker = Encoding.UTF8.GetBytes(MarkerName + "\0");
        for (int i = 0; i + marker.Length <= assembly.Length; i++)
        {
            int k = 0;
            while (k < marker.Length && assembly[i + k] == marker[k]) k++;
            if (k == marker.Length) return true;
        }
        return false;
    }

    /// <summary>Rewrites <paramref name="input"/> into <paramref name="output"/>; returns how many handle reads now record their object.</summary>
    public static int Rewrite(string input, string output)
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(input)));
        int sites;
        using (var module = ModuleDefinition.ReadModule(input, new ReaderParameters { AssemblyResolver = resolver, ReadingMode = ReadingMode.Immediate, InMemory = true }))
        {
            if (module.GetType(MarkerNamespace + "." + MarkerName) != null)
                throw new InvalidOperationException($"{input} already carries the keep-alive step.");
            var kept = KeptTypes.Select(name => FindType(module, name)).ToArray();
            var touch = AddRing(module);
            var touchAndRead = kept.ToDictionary(t => t.FullName, t => AddTouchAndRead(module, touch, t));
            sites = 0;
            foreach (var type in kept)   // the getters record `this`
            {
                var getter = type.Methods.Single(m => m.Name == "get_Handle" && !m.IsStatic);
                var il = getter.Body.GetILProcessor();
                var first = getter.Body.Instructions[0];
                il.InsertBefore(first, il.Create(OpCodes.Ldarg_0));
                il.InsertBefore(first, il.Create(OpCodes.Call, touch));
                sites++;
            }
            foreach (var type in module.GetTypes())   // direct loads of the field record the object first
                foreach (var method in type.Methods.Where(m => m.HasBody))
                {
                    if (kept.Contains(method.DeclaringType) && (method.IsConstructor || method.Name is "get_Handle" or "Dispose" or "Finalize"))
                        continue;
                    if (touchAndRead.Values.Contains(method)) continue;
                    foreach (var instruction in method.Body.Instructions)
                        if (instruction.OpCode == OpCodes.Ldfld && instruction.Operand is FieldReference field && field.Name == "handle"
                            && touchAndRead.TryGetValue(field.DeclaringType.FullName, out var replacement))
                        {
                            instruction.OpCode = OpCodes.Call;   // same stack effect: object → IntPtr
                            instruction.Operand = replacement;
                            sites++;
                        }
                }
            module.Attributes &= ~ModuleAttributes.StrongNameSigned;
            var temporary = output + "." + Guid.NewGuid().ToString("N") + ".tmp";
            module.Write(temporary);
            Replace(temporary, output);
        }
        return sites;
    }

    static TypeDefinition FindType(ModuleDefinition module, string name)
    {
        var parts = name.Split('/');
        var type = module.GetType(parts[0]) ?? throw new InvalidOperationException($"TorchSharp.dll has no type {parts[0]}: is this TorchSharp 0.107?");
        foreach (var nested in parts.Skip(1))
            type = type.NestedTypes.SingleOrDefault(t => t.Name == nested) ?? throw new InvalidOperationException($"TorchSharp.dll has no type {name}.");
        if (!type.Fields.Any(f => f.Name == "handle" && f.FieldType.FullName == "System.IntPtr"))
            throw new InvalidOperationException($"{name} has no IntPtr field 'handle': the step was written for TorchSharp 0.107.");
        return type;
    }

    /// <summary>
    /// Adds <c>public static class NativeCallKeepAlive { [ThreadStatic] static object[] ring; [ThreadStatic] static int next;
    /// public static void Touch(object o) { (ring ??= new object[RingSize])[next] = o; next = (next + 1) &amp; (RingSize - 1); } }</c>.
    /// </summary>
    static MethodDefinition AddRing(ModuleDefinition module)
    {
        var system = module.TypeSystem;
        var coreScope = system.Object.Scope;
        var threadStatic = new TypeReference("System", "ThreadStaticAttribute", module, coreScope);
        var threadStaticCtor = new MethodReference(".ctor", system.Void, threadStatic) { HasThis = true };
        var type = new TypeDefinition(MarkerNamespace, MarkerName,
            TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class,
            system.Object);
        module.Types.Add(type);
        var objectArray = new ArrayType(system.Object);
        var ring = new FieldDefinition("ring", FieldAttributes.Private | FieldAttributes.Static, objectArray);
        var next = new FieldDefinition("next", FieldAttributes.Private | FieldAttributes.Static, system.Int32);
        foreach (var field in new[] { ring, next })
        {
            field.CustomAttributes.Add(new CustomAttribute(threadStaticCtor));
            type.Fields.Add(field);
        }
        var touch = new MethodDefinition("Touch", MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, system.Void);
        touch.Parameters.Add(new ParameterDefinition("value", ParameterAttributes.None, system.Object));
        touch.Body.Variables.Add(new VariableDefinition(objectArray));
        touch.Body.Variables.Add(new VariableDefinition(system.Int32));
        var il = touch.Body.GetILProcessor();
        var haveRing = il.Create(OpCodes.Ldsfld, next);
        il.Emit(OpCodes.Ldsfld, ring);
        il.Emit(OpCodes.Stloc_0);
        il.Emit(OpCodes.Ldloc_0);
        il.Emit(OpCodes.Brtrue_S, haveRing);
        il.Emit(OpCodes.Ldc_I4, RingSize);
        il.Emit(OpCodes.Newarr, system.Object);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Stsfld, ring);
        il.Emit(OpCodes.Stloc_0);
        il.Append(haveRing);                      // i = next
        il.Emit(OpCodes.Stloc_1);
        il.Emit(OpCodes.Ldloc_0);                 // ring[i] = value
        il.Emit(OpCodes.Ldloc_1);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Stelem_Ref);
        il.Emit(OpCodes.Ldloc_1);                 // next = (i + 1) & (RingSize - 1)
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Ldc_I4, RingSize - 1);
        il.Emit(OpCodes.And);
        il.Emit(OpCodes.Stsfld, next);
        il.Emit(OpCodes.Ret);
        type.Methods.Add(touch);
        return touch;
    }

    /// <summary>Adds <c>static IntPtr TouchAndRead(T value) { Touch(value); return value.handle; }</c> to the kept type.</summary>
    static MethodDefinition AddTouchAndRead(ModuleDefinition module, MethodDefinition touch, TypeDefinition type)
    {
        var handle = type.Fields.Single(f => f.Name == "handle");
        var method = new MethodDefinition("KeepAliveAndReadHandle", MethodAttributes.Assembly | MethodAttributes.Static | MethodAttributes.HideBySig, handle.FieldType);
        method.Parameters.Add(new ParameterDefinition("value", ParameterAttributes.None, type));
        var il = method.Body.GetILProcessor();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, touch);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, handle);
        il.Emit(OpCodes.Ret);
        type.Methods.Add(method);
        return method;
    }

    /// <summary>Hex SHA-256 of a file: the key of the rewritten copy in the cache.</summary>
    public static string Hash(byte[] bytes)
    {
        using (var sha = SHA256.Create())
            return BitConverter.ToString(sha.ComputeHash(bytes)).Replace("-", "").ToLowerInvariant();
    }

    /// <summary>Moves a finished temporary file over the target (a rename, so readers see the old or the new file).</summary>
    public static void Replace(string temporary, string target)
    {
        if (File.Exists(target)) File.Replace(temporary, target, null);
        else File.Move(temporary, target);
    }
}

#if !COURSELIB_TESTS
/// <summary>
/// MSBuild task: for each TorchSharp.dll that the build is about to copy to its output (<c>Files</c>, items of
/// ReferenceCopyLocalPaths), returns in <c>Kept</c> the same item pointing at the rewritten copy in the cache
/// (<c>CacheDirectory/&lt;SHA-256 of the original&gt;/TorchSharp.dll</c>, made on first use). The build then copies the
/// rewritten assembly itself, so an output never holds the package's, not even for a moment, and an up-to-date build
/// copies nothing.
/// </summary>
public class KeepTorchSharpHandlesAlive : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required] public Microsoft.Build.Framework.ITaskItem[] Files { get; set; }
    [Microsoft.Build.Framework.Required] public string CacheDirectory { get; set; }
    [Microsoft.Build.Framework.Required] public string ProjectName { get; set; }
    /// <summary>The folder of Mono.Cecil.dll (restored by a PackageDownload in Directory.Build.props).</summary>
    [Microsoft.Build.Framework.Required] public string CecilDirectory { get; set; }
    [Microsoft.Build.Framework.Output] public Microsoft.Build.Framework.ITaskItem[] Kept { get; set; }

    public override bool Execute()
    {
        ResolveEventHandler resolve = (sender, e) =>
            new System.Reflection.AssemblyName(e.Name).Name == "Mono.Cecil" && File.Exists(Path.Combine(CecilDirectory, "Mono.Cecil.dll"))
                ? System.Reflection.Assembly.LoadFrom(Path.Combine(CecilDirectory, "Mono.Cecil.dll")) : null;
        AppDomain.CurrentDomain.AssemblyResolve += resolve;
        try
        {
            Kept = Files.Select(Keep).ToArray();
            return !Log.HasLoggedErrors;
        }
        catch (Exception e)
        {
            Log.LogError($"{ProjectName}: the TorchSharp keep-alive step failed: {e.Message} (build/TorchSharpKeepAlive.cs)");
            return false;
        }
        finally
        {
            AppDomain.CurrentDomain.AssemblyResolve -= resolve;
        }
    }

    Microsoft.Build.Framework.ITaskItem Keep(Microsoft.Build.Framework.ITaskItem item)
    {
        var bytes = File.ReadAllBytes(item.ItemSpec);
        if (TorchSharpKeepAlive.IsApplied(bytes)) return item;
        var cached = Path.Combine(CacheDirectory, TorchSharpKeepAlive.Hash(bytes), "TorchSharp.dll");
        string how = "cached";
        if (!File.Exists(cached))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(cached));
            int sites = TorchSharpKeepAlive.Rewrite(item.ItemSpec, cached);
            how = $"rewritten now: Scalar.Handle, Tensor.Handle and {sites - 2} direct reads of their handle fields";
        }
        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
            $"{ProjectName}: TorchSharp.dll with the keep-alive step, so scalars and tensors outlive the native calls that use them ({how}; build/TorchSharpKeepAlive.cs, dotnet/TorchSharp#1434).");
        var kept = new Microsoft.Build.Utilities.TaskItem(cached);
        item.CopyMetadataTo(kept);
        return kept;
    }
}
#endif
