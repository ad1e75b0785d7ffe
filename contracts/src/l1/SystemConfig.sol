// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/// @title SystemConfig
/// @notice The rollup's L1-governed parameters, read by every node deriving the L2 (OP Stack specs,
/// system-config.md): the batcher allowed to post to the batch inbox, the L1 fee scalars, the L2 gas limit and (ours) the rate
/// the L1 data fee is charged in OPEN at.
/// Each change emits `ConfigUpdate(version 0, type, abi.encode(values))`, which derivation applies from the L1
/// block holding the log. The owner is the L1 timelock, so changes go through governance.
contract SystemConfig is Ownable2Step {
    enum UpdateType {
        BATCHER,
        FEE_SCALARS,
        GAS_LIMIT,
        UNSAFE_BLOCK_SIGNER,
        // 4..7 are OP Stack's (EIP-1559 params, operator fee, min base fee, DA footprint): reserved, not emitted here.
        EIP_1559_PARAMS,
        OPERATOR_FEE_PARAMS,
        MIN_BASE_FEE,
        DA_FOOTPRINT_GAS_SCALAR,
        // ours: abi.encode(uint256 gasTokenPerEth)
        GAS_TOKEN_RATE
    }

    /// @notice Version of the ConfigUpdate encoding.
    uint256 public constant VERSION = 0;
    /// @notice Lowest L2 gas limit the owner may set (a block must fit the system deposit and some transactions).
    uint64 public constant MINIMUM_GAS_LIMIT = 1_000_000;
    /// @notice Highest L2 gas limit, keeping blocks within what one channel can carry.
    uint64 public constant MAXIMUM_GAS_LIMIT = 200_000_000;

    /// @notice Version-0 batcher hash: the batcher's address, left-padded.
    bytes32 public batcherHash;
    /// @notice Ecotone scalar: 0x01 ++ zeros ++ blobBaseFeeScalar (uint32) ++ baseFeeScalar (uint32).
    uint256 public scalar;
    /// @notice Pre-Ecotone overhead; kept for the event shape, always zero here.
    uint256 public overhead;
    uint64 public gasLimit;
    address public unsafeBlockSigner;
    /// @notice OPEN wei per ETH wei, scaled by 1e18: the rate L2 charges the L1 data fee (an ETH amount) in OPEN at.
    /// Zero charges no L1 data fee.
    uint256 public gasTokenPerEth;

    event ConfigUpdate(uint256 indexed version, UpdateType indexed updateType, bytes data);

    error GasLimitOutOfRange(uint64 gasLimit);
    error ZeroBatcher();

    /// @param owner_ the governance timelock
    /// @param batcher_ the address allowed to post batches
    /// @param baseFeeScalar scalar on the L1 base fee in the L1 data fee
    /// @param blobBaseFeeScalar scalar on the L1 blob base fee
    /// @param gasLimit_ the L2 block gas limit
    /// @param unsafeBlockSigner_ the sequencer's key for unsafe block gossip
    constructor(address owner_, address batcher_, uint32 baseFeeScalar, uint32 blobBaseFeeScalar, uint64 gasLimit_, address unsafeBlockSigner_)
        Ownable(owner_)
    {
        _setBatcher(batcher_);
        _setScalars(baseFeeScalar, blobBaseFeeScalar);
        _setGasLimit(gasLimit_);
        unsafeBlockSigner = unsafeBlockSigner_;
    }

    /// @notice Changes the batcher (takes effect from the L1 block holding this transaction).
    function setBatcher(address newBatcher) external onlyOwner {
        _setBatcher(newBatcher);
    }

    /// @notice Changes the Ecotone fee scalars.
    function setGasConfigEcotone(uint32 baseFeeScalar, uint32 blobBaseFeeScalar) external onlyOwner {
        _setScalars(baseFeeScalar, blobBaseFeeScalar);
    }

    /// @notice Changes the L2 gas limit.
    function setGasLimit(uint64 gasLimit_) external onlyOwner {
        _setGasLimit(gasLimit_);
    }

    /// @notice Changes the rate the L1 data fee is converted to OPEN at (OPEN wei per ETH wei, 1e18 = 1 OPEN per ETH).
    function setGasTokenPerEth(uint256 gasTokenPerEth_) external onlyOwner {
        gasTokenPerEth = gasTokenPerEth_;
        emit ConfigUpdate(VERSION, UpdateType.GAS_TOKEN_RATE, abi.encode(gasTokenPerEth_));
    }

    /// @notice Changes the unsafe block signer.
    function setUnsafeBlockSigner(address signer) external onlyOwner {
        unsafeBlockSigner = signer;
        emit ConfigUpdate(VERSION, UpdateType.UNSAFE_BLOCK_SIGNER, abi.encode(signer));
    }

    /// @notice The batcher's address, from the version-0 batcher hash.
    function batcher() external view returns (address) {
        return address(uint160(uint256(batcherHash)));
    }

    /// @notice The base fee scalar (low 4 bytes of the scalar).
    function basefeeScalar() external view returns (uint32) {
        return uint32(scalar);
    }

    /// @notice The blob base fee scalar (the 4 bytes above the base fee scalar).
    function blobbasefeeScalar() external view returns (uint32) {
        return uint32(scalar >> 32);
    }

    function _setBatcher(address newBatcher) internal {
        if (newBatcher == address(0)) revert ZeroBatcher();
        batcherHash = bytes32(uint256(uint160(newBatcher)));
        emit ConfigUpdate(VERSION, UpdateType.BATCHER, abi.encode(batcherHash));
    }

    function _setScalars(uint32 baseFeeScalar, uint32 blobBaseFeeScalar) internal {
        scalar = (uint256(0x01) << 248) | (uint256(blobBaseFeeScalar) << 32) | baseFeeScalar;
        emit ConfigUpdate(VERSION, UpdateType.FEE_SCALARS, abi.encode(overhead, scalar));
    }

    function _setGasLimit(uint64 gasLimit_) internal {
        if (gasLimit_ < MINIMUM_GAS_LIMIT || gasLimit_ > MAXIMUM_GAS_LIMIT) revert GasLimitOutOfRange(gasLimit_);
        gasLimit = gasLimit_;
        emit ConfigUpdate(VERSION, UpdateType.GAS_LIMIT, abi.encode(gasLimit_));
    }
}
