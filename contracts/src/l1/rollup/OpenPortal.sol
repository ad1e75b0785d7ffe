// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {L2OutputOracle} from "./L2OutputOracle.sol";
import {RollupHashing, RollupTypes} from "../../libraries/RollupHashing.sol";
import {MerkleTrie} from "../../libraries/MerkleTrie.sol";

/// @title OpenPortal
/// @notice The L1 end of the OPEN bridge, with OP Stack's portal interface (pre-fault-proof, version 2.x: proofs are
/// against `L2OutputOracle` outputs) so that OP tooling drives it:
/// - Deposits: `depositERC20Transaction` escrows OPEN (`transferFrom`) and emits `TransactionDeposited` with `mint` =
///   the amount, which the L2 mints as native OPEN (as OP Stack's custom-gas-token portal did); `depositTransaction`
///   carries messages and contract calls without mint (ETH is refused: it is not the L2's currency). Contract senders
///   are aliased; gas below `minimumGasLimit` and calldata over 120,000 bytes are refused; at most
///   MAX_DEPOSIT_GAS_PER_L1_BLOCK of deposit gas per L1 block, so deposits always fit the L2 blocks of their origin.
/// - Withdrawals: prove (a storage proof that the withdrawal hash is set in the L2ToL1MessagePasser, under an output
///   root), wait FINALIZATION_PERIOD_SECONDS and for the output to be final (no open challenge), finalize: the OPEN
///   value goes to the target, then the target is called with the data (if any) and at least the withdrawal's gas.
///   Unlike OP's portal, the value is transferred even if that call fails, so escrow always equals minted minus burned.
/// - The guardian may pause deposits and withdrawals; governance (the owner, the L1 timelock) appoints the guardian.
contract OpenPortal is Ownable2Step, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice A proven withdrawal: the output root it was proven against, when, and that output's index.
    struct ProvenWithdrawal {
        bytes32 outputRoot;
        uint128 timestamp;
        uint128 l2OutputIndex;
    }

    /// @notice `l2Sender` outside of a withdrawal call.
    address internal constant DEFAULT_L2_SENDER = 0x000000000000000000000000000000000000dEaD;
    /// @notice Version of the `TransactionDeposited` encoding.
    uint256 public constant DEPOSIT_VERSION = 0;
    /// @notice Largest deposit calldata.
    uint256 public constant MAX_DEPOSIT_CALLDATA = 120_000;
    /// @notice Deposit gas all deposits of one L1 block may ask for together.
    uint64 public constant MAX_DEPOSIT_GAS_PER_L1_BLOCK = 20_000_000;
    /// @notice Gas kept back around a withdrawal's call, beyond the gas it asks for.
    uint256 internal constant FINALIZE_GAS_BUFFER = 40_000;

    /// @notice The escrowed token (OPEN on L1; native OPEN on L2).
    IERC20 public immutable token;
    /// @notice Where output roots live.
    L2OutputOracle public immutable l2Oracle;

    /// @notice May pause and unpause.
    address public guardian;
    /// @notice Whether deposits and withdrawals are paused.
    bool public paused;
    /// @notice The L2 sender of the withdrawal being finalized (DEFAULT_L2_SENDER otherwise).
    address public l2Sender = DEFAULT_L2_SENDER;
    /// @notice Proven withdrawals by hash.
    mapping(bytes32 => ProvenWithdrawal) public provenWithdrawals;
    /// @notice Finalized withdrawals by hash.
    mapping(bytes32 => bool) public finalizedWithdrawals;
    /// @notice OPEN escrowed by deposits, ever.
    uint256 public totalDeposited;
    /// @notice OPEN released by finalized withdrawals, ever.
    uint256 public totalWithdrawn;
    /// @notice L1 block whose deposit gas `depositGasUsed` counts.
    uint64 public depositGasBlock;
    /// @notice Deposit gas asked for in `depositGasBlock`.
    uint64 public depositGasUsed;

    /// @notice A deposit for the L2 (OP Stack encoding: opaqueData = mint, value, gasLimit, isCreation, data packed).
    event TransactionDeposited(address indexed from, address indexed to, uint256 indexed version, bytes opaqueData);
    /// @notice A withdrawal was proven.
    event WithdrawalProven(bytes32 indexed withdrawalHash, address indexed from, address indexed to);
    /// @notice A withdrawal was finalized; `success` is the outcome of the call to its target.
    event WithdrawalFinalized(bytes32 indexed withdrawalHash, bool success);
    event Paused(address account);
    event Unpaused(address account);
    event GuardianSet(address guardian);

    error EthNotAccepted();
    error IsPaused();
    error NotGuardian(address caller);
    error ZeroAddress();
    error BadTarget();
    error SmallGasLimit(uint64 gasLimit, uint64 minimum);
    error LargeCalldata(uint256 length);
    error DepositGasExhausted(uint64 requested, uint64 available);
    error UnknownOutput(uint256 index);
    error InvalidOutputRootProof();
    error InvalidWithdrawalProof();
    error AlreadyProven(bytes32 withdrawalHash);
    error AlreadyFinalized(bytes32 withdrawalHash);
    error NotProven(bytes32 withdrawalHash);
    error ProofNotOldEnough(bytes32 withdrawalHash);
    error OutputRootChanged(bytes32 withdrawalHash);
    error OutputNotFinalized(uint256 index);
    error InsufficientGas();

    modifier whenNotPaused() {
        if (paused) revert IsPaused();
        _;
    }

    constructor(IERC20 token_, L2OutputOracle oracle_, address owner_, address guardian_) Ownable(owner_) {
        if (address(token_) == address(0) || address(oracle_) == address(0)) revert ZeroAddress();
        token = token_;
        l2Oracle = oracle_;
        _setGuardian(guardian_);
    }

    // ---------------------------------------------------------------- deposits

    /// @notice Least gas a deposit with `byteCount` bytes of calldata may ask for.
    function minimumGasLimit(uint64 byteCount) public pure returns (uint64) {
        return byteCount * 40 + 21_000;
    }

    /// @notice Deposits a message or contract call (no mint). `value` moves from the sender's existing L2 balance.
    function depositTransaction(address to, uint256 value, uint64 gasLimit, bool isCreation, bytes calldata data)
        external
        payable
    {
        if (msg.value != 0) revert EthNotAccepted();
        _deposit(to, 0, value, gasLimit, isCreation, data);
    }

    /// @notice Escrows `mint` OPEN (approve it first) and deposits a transaction that mints it on L2 to the sender
    /// (aliased for contracts) before running with `value`.
    function depositERC20Transaction(
        address to,
        uint256 mint,
        uint256 value,
        uint64 gasLimit,
        bool isCreation,
        bytes calldata data
    ) external {
        if (mint != 0) {
            totalDeposited += mint;
            token.safeTransferFrom(msg.sender, address(this), mint);
        }
        _deposit(to, mint, value, gasLimit, isCreation, data);
    }

    /// @notice OPEN held for the L2: deposited minus withdrawn.
    function escrowed() external view returns (uint256) {
        return totalDeposited - totalWithdrawn;
    }

    // ---------------------------------------------------------------- withdrawals

    /// @notice Proves that `wd` was initiated on L2: `outputRootProof` must hash to the output at `l2OutputIndex`, and
    /// `withdrawalProof` (eth_getProof's storageProof for the L2ToL1MessagePasser) must show its hash set under the
    /// message passer's storage root. A withdrawal may be proven again only if its earlier output was deleted.
    function proveWithdrawalTransaction(
        RollupTypes.WithdrawalTransaction calldata wd,
        uint256 l2OutputIndex,
        RollupTypes.OutputRootProof calldata outputRootProof,
        bytes[] calldata withdrawalProof
    ) external whenNotPaused {
        if (wd.target == address(this)) revert BadTarget();
        if (l2OutputIndex >= l2Oracle.nextOutputIndex()) revert UnknownOutput(l2OutputIndex);
        bytes32 outputRoot = l2Oracle.getL2Output(l2OutputIndex).outputRoot;
        if (outputRootProof.version != RollupHashing.OUTPUT_VERSION_V0) revert InvalidOutputRootProof();
        if (RollupHashing.outputRoot(outputRootProof) != outputRoot) revert InvalidOutputRootProof();

        bytes32 hash = RollupHashing.withdrawalHash(wd);
        if (finalizedWithdrawals[hash]) revert AlreadyFinalized(hash);
        ProvenWithdrawal memory prior = provenWithdrawals[hash];
        if (prior.timestamp != 0 && _outputStillThere(prior)) revert AlreadyProven(hash);

        bytes32 storageKey = keccak256(abi.encode(hash, uint256(0)));
        bool included = MerkleTrie.verifySecureInclusion(
            abi.encode(storageKey), hex"01", withdrawalProof, outputRootProof.messagePasserStorageRoot
        );
        if (!included) revert InvalidWithdrawalProof();

        provenWithdrawals[hash] = ProvenWithdrawal({
            outputRoot: outputRoot, timestamp: uint128(block.timestamp), l2OutputIndex: uint128(l2OutputIndex)
        });
        emit WithdrawalProven(hash, wd.sender, wd.target);
    }

    /// @notice Finalizes a proven withdrawal once the finalization period has passed since it was proven and its
    /// output is final: releases the OPEN value to the target, then calls it with the data, if any.
    function finalizeWithdrawalTransaction(RollupTypes.WithdrawalTransaction calldata wd)
        external
        whenNotPaused
        nonReentrant
    {
        bytes32 hash = RollupHashing.withdrawalHash(wd);
        if (finalizedWithdrawals[hash]) revert AlreadyFinalized(hash);
        ProvenWithdrawal memory proven = provenWithdrawals[hash];
        if (proven.timestamp == 0) revert NotProven(hash);
        if (block.timestamp <= proven.timestamp + l2Oracle.FINALIZATION_PERIOD_SECONDS()) {
            revert ProofNotOldEnough(hash);
        }
        if (!_outputStillThere(proven)) revert OutputRootChanged(hash);
        if (!l2Oracle.isOutputFinalized(proven.l2OutputIndex)) revert OutputNotFinalized(proven.l2OutputIndex);

        finalizedWithdrawals[hash] = true;
        totalWithdrawn += wd.value;
        if (wd.value != 0) token.safeTransfer(wd.target, wd.value);
        bool success = true;
        if (wd.data.length != 0) {
            if (gasleft() * 63 / 64 < wd.gasLimit + FINALIZE_GAS_BUFFER) revert InsufficientGas();
            l2Sender = wd.sender;
            (success,) = wd.target.call{gas: gasleft() - FINALIZE_GAS_BUFFER / 2}(wd.data);
            l2Sender = DEFAULT_L2_SENDER;
        }
        emit WithdrawalFinalized(hash, success);
    }

    // ---------------------------------------------------------------- guardian and governance

    /// @notice Pauses deposits and withdrawals (guardian).
    function pause() external {
        if (msg.sender != guardian) revert NotGuardian(msg.sender);
        paused = true;
        emit Paused(msg.sender);
    }

    /// @notice Lifts a pause (guardian).
    function unpause() external {
        if (msg.sender != guardian) revert NotGuardian(msg.sender);
        paused = false;
        emit Unpaused(msg.sender);
    }

    /// @notice Appoints the guardian (governance).
    function setGuardian(address guardian_) external onlyOwner {
        _setGuardian(guardian_);
    }

    /// @notice OP Stack's getter name for the oracle.
    function L2_ORACLE() external view returns (L2OutputOracle) {
        return l2Oracle;
    }

    /// @notice Semantic version (2.x: proofs against L2OutputOracle, as viem's OP Stack actions expect).
    function version() external pure returns (string memory) {
        return "2.8.0";
    }

    // ---------------------------------------------------------------- internal

    function _deposit(address to, uint256 mint, uint256 value, uint64 gasLimit, bool isCreation, bytes calldata data)
        private
        whenNotPaused
    {
        if (isCreation && to != address(0)) revert BadTarget();
        if (data.length > MAX_DEPOSIT_CALLDATA) revert LargeCalldata(data.length);
        uint64 minimum = minimumGasLimit(uint64(data.length));
        if (gasLimit < minimum) revert SmallGasLimit(gasLimit, minimum);
        _meterDepositGas(gasLimit);
        address from = _isEoa(msg.sender) ? msg.sender : RollupHashing.applyL1ToL2Alias(msg.sender);
        emit TransactionDeposited(
            from, to, DEPOSIT_VERSION, abi.encodePacked(mint, value, gasLimit, isCreation, data)
        );
    }

    function _meterDepositGas(uint64 gasLimit) private {
        uint64 used = depositGasBlock == uint64(block.number) ? depositGasUsed : 0;
        uint64 available = MAX_DEPOSIT_GAS_PER_L1_BLOCK - used;
        if (gasLimit > available) revert DepositGasExhausted(gasLimit, available);
        depositGasBlock = uint64(block.number);
        depositGasUsed = used + gasLimit;
    }

    /// @dev An account without code, or an EOA delegated under EIP-7702 (code 0xef0100 ‖ address), is not aliased.
    function _isEoa(address account) private view returns (bool) {
        uint256 size = account.code.length;
        if (size == 0) return true;
        if (size != 23) return false;
        return bytes3(account.code) == 0xef0100;
    }

    function _outputStillThere(ProvenWithdrawal memory p) private view returns (bool) {
        return p.l2OutputIndex < l2Oracle.nextOutputIndex()
            && l2Oracle.getL2Output(p.l2OutputIndex).outputRoot == p.outputRoot;
    }

    function _setGuardian(address guardian_) private {
        if (guardian_ == address(0)) revert ZeroAddress();
        guardian = guardian_;
        emit GuardianSet(guardian_);
    }
}
