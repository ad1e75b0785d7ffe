using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace OpenLedger.Attribution.Gpu;

/// <summary>Which ILGPU accelerator to run kernels on.</summary>
public enum IlgpuTarget
{
    /// <summary>ILGPU's CPU accelerator: runs the same kernels on threads; ~1000× slower, for tests of the kernels only.</summary>
    Cpu,
    /// <summary>The first CUDA device.</summary>
    Cuda,
}

/// <summary>An ILGPU context plus one accelerator; disposing frees both (accelerator first).</summary>
public sealed class IlgpuDevice : IDisposable
{
    private readonly Context _context;
    public Accelerator Accelerator { get; }
    public IlgpuTarget Target { get; }

    private IlgpuDevice(Context context, Accelerator accelerator, IlgpuTarget target)
    {
        _context = context; Accelerator = accelerator; Target = target;
    }

    public static IlgpuDevice Create(IlgpuTarget target)
    {
        if (target == IlgpuTarget.Cpu)
        {
            var ctx = Context.Create(b => b.CPU());
            return new IlgpuDevice(ctx, ctx.CreateCPUAccelerator(0), target);
        }
        var cudaCtx = Context.Create(b => b.Cuda());
        if (cudaCtx.GetCudaDevices().Count == 0)
        {
            cudaCtx.Dispose();
            throw new InvalidOperationException("no CUDA device is present");
        }
        return new IlgpuDevice(cudaCtx, cudaCtx.CreateCudaAccelerator(0), target);
    }

    /// <summary>True when a CUDA device can be opened here (driver present and at least one device).</summary>
    public static bool CudaAvailable()
    {
        try
        {
            using var ctx = Context.Create(b => b.Cuda());
            return ctx.GetCudaDevices().Count > 0;
        }
        catch (Exception)
        {
            return false; // no driver library: not an error, just no GPU
        }
    }

    public void Dispose()
    {
        Accelerator.Dispose();
        _context.Dispose();
    }
}
