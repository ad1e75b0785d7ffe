// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @notice The part of AttributionRewards this contract pays into.
interface IEpochFees {
    function depositFees(uint256 epoch) external payable;
}

/// @title InferencePayments
/// @notice Pays for inference in native OPEN. Users deposit; each request carries the user's EIP-712 authorization of a
/// maximum fee for it; a settler (the serving node, SETTLER_ROLE) charges the actual fee in batches and the fees go to
/// AttributionRewards for the epoch of the block that charges them, with the hash of the request's attribution record
/// committed per (user, nonce). Withdrawals wait `withdrawDelay`, so what a server authorized can still be settled.
/// @dev Epochs are fixed-length windows of block time starting at `epochStart`: epoch n = [start + n·len, start + (n+1)·len).
/// A charge that cannot be applied (bad signature, spent nonce, fee above the maximum, expired, short balance, zero
/// record hash) is skipped with ChargeRejected so one bad item never blocks the batch.
contract InferencePayments is AccessControl, ReentrancyGuard, EIP712 {
    /// @notice May settle charges.
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");
    /// @notice EIP-712 type of a user's authorization of one request.
    bytes32 public constant AUTHORIZATION_TYPEHASH =
        keccak256("InferenceAuthorization(address user,uint256 modelId,uint256 maxFee,uint256 nonce,uint64 expiry)");
    /// @notice Longest withdrawal delay governance may set.
    uint64 public constant MAX_WITHDRAW_DELAY = 30 days;

    /// @notice What the user signs for one request.
    struct Authorization {
        address user;
        uint256 modelId; // ModelRegistry id of the model or adapter
        uint256 maxFee; // wei
        uint256 nonce; // any number the user has not had charged before
        uint64 expiry; // unix seconds; not chargeable after it
    }

    /// @notice One item of a settlement batch.
    struct Charge {
        Authorization auth;
        bytes signature; // 65 bytes r ‖ s ‖ v
        uint256 fee; // actual fee, at most auth.maxFee
        bytes32 recordHash; // keccak256 of the request's canonical AttributionRecord
    }

    /// @notice A pending withdrawal.
    struct Withdrawal {
        uint128 amount;
        uint64 readyAt;
    }

    /// @notice Why a charge was skipped.
    enum Rejection {
        BadSignature,
        NonceSpent,
        FeeAboveMax,
        Expired,
        InsufficientBalance,
        ZeroRecordHash
    }

    /// @notice Receives the charged fees.
    IEpochFees public immutable rewards;
    /// @notice Start of epoch 0 (unix seconds).
    uint64 public immutable epochStart;
    /// @notice Seconds per epoch.
    uint64 public immutable epochLength;
    /// @notice Seconds between a withdrawal request and the withdrawal.
    uint64 public withdrawDelay;

    /// @notice Chargeable balance per user.
    mapping(address => uint256) public balanceOf;
    /// @notice The record hash charged under (user, nonce); zero while the nonce is unspent.
    mapping(address => mapping(uint256 => bytes32)) public chargedRecord;
    mapping(address => Withdrawal) private _withdrawals;

    /// @notice Running totals: deposited = Σ balances + charged + withdrawn.
    uint256 public totalDeposited;
    uint256 public totalCharged;
    uint256 public totalWithdrawn;

    event Deposited(address indexed user, address indexed from, uint256 amount, uint256 balance);
    event WithdrawalRequested(address indexed user, uint256 amount, uint64 readyAt);
    event Withdrawn(address indexed user, uint256 amount);
    event Charged(
        uint256 indexed epoch,
        address indexed user,
        uint256 indexed modelId,
        uint256 nonce,
        uint256 fee,
        bytes32 recordHash
    );
    event ChargeRejected(address indexed user, uint256 indexed nonce, Rejection reason);
    event Settled(uint256 indexed epoch, uint256 charged, uint256 fees);
    event WithdrawDelaySet(uint64 delay);

    error ZeroValue();
    error ZeroAddress();
    error BadEpochLength();
    error DelayTooLong(uint64 delay);
    error AmountExceedsBalance(uint256 amount, uint256 balance);
    error NoWithdrawal();
    error WithdrawalNotReady(uint64 readyAt);
    error TransferFailed();

    /// @param admin governance (DEFAULT_ADMIN_ROLE: the delay, roles)
    /// @param settler initial holder of SETTLER_ROLE (zero: none)
    /// @param rewards_ the AttributionRewards contract
    /// @param epochStart_ start of epoch 0 (unix seconds; zero: this block's timestamp)
    /// @param epochLength_ seconds per epoch (non-zero)
    /// @param withdrawDelay_ seconds a withdrawal waits
    constructor(
        address admin,
        address settler,
        IEpochFees rewards_,
        uint64 epochStart_,
        uint64 epochLength_,
        uint64 withdrawDelay_
    ) EIP712("OpenLedger Inference", "1") {
        if (admin == address(0) || address(rewards_) == address(0)) revert ZeroAddress();
        if (epochLength_ == 0) revert BadEpochLength();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        if (settler != address(0)) _grantRole(SETTLER_ROLE, settler);
        rewards = rewards_;
        epochStart = epochStart_ == 0 ? uint64(block.timestamp) : epochStart_;
        epochLength = epochLength_;
        _setWithdrawDelay(withdrawDelay_);
    }

    // ---------------------------------------------------------------- users

    /// @notice Deposits msg.value for the sender.
    function deposit() external payable {
        _deposit(msg.sender);
    }

    /// @notice Deposits msg.value for `user`.
    function depositFor(address user) external payable {
        if (user == address(0)) revert ZeroAddress();
        _deposit(user);
    }

    /// @notice Asks to withdraw `amount` after the delay (replaces an earlier request). Until then the balance stays
    /// chargeable, so requests already authorized can be settled.
    function requestWithdrawal(uint256 amount) external {
        if (amount == 0) revert ZeroValue();
        uint256 balance = balanceOf[msg.sender];
        if (amount > balance) revert AmountExceedsBalance(amount, balance);
        uint64 readyAt = uint64(block.timestamp) + withdrawDelay;
        // forge-lint: disable-next-line(unsafe-typecast) amount <= balance <= total deposited native value
        _withdrawals[msg.sender] = Withdrawal(uint128(amount), readyAt);
        emit WithdrawalRequested(msg.sender, amount, readyAt);
    }

    /// @notice Pays out the requested withdrawal (or what charges left of it) once the delay has passed.
    function withdraw() external nonReentrant {
        Withdrawal memory w = _withdrawals[msg.sender];
        if (w.readyAt == 0) revert NoWithdrawal();
        // forge-lint: disable-next-line(block-timestamp) delays are minutes to days long
        if (block.timestamp < w.readyAt) revert WithdrawalNotReady(w.readyAt);
        delete _withdrawals[msg.sender];
        uint256 balance = balanceOf[msg.sender];
        uint256 amount = w.amount < balance ? w.amount : balance;
        balanceOf[msg.sender] = balance - amount;
        totalWithdrawn += amount;
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = payable(msg.sender).call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    // ---------------------------------------------------------------- settlement

    /// @notice Charges a batch (settler only). Valid items move their fee from the user's balance to
    /// AttributionRewards for the current epoch and commit their record hash; invalid items are skipped with
    /// ChargeRejected. Returns the number charged.
    function settle(Charge[] calldata charges) external onlyRole(SETTLER_ROLE) nonReentrant returns (uint256 count) {
        uint256 epoch = currentEpoch();
        uint256 fees;
        for (uint256 i = 0; i < charges.length; ++i) {
            Charge calldata c = charges[i];
            (bool ok, Rejection why) = _check(c);
            if (!ok) {
                emit ChargeRejected(c.auth.user, c.auth.nonce, why);
                continue;
            }
            balanceOf[c.auth.user] -= c.fee;
            chargedRecord[c.auth.user][c.auth.nonce] = c.recordHash;
            fees += c.fee;
            ++count;
            emit Charged(epoch, c.auth.user, c.auth.modelId, c.auth.nonce, c.fee, c.recordHash);
        }
        totalCharged += fees;
        emit Settled(epoch, count, fees);
        if (fees != 0) rewards.depositFees{value: fees}(epoch);
    }

    // ---------------------------------------------------------------- governance

    /// @notice Sets the withdrawal delay (at most MAX_WITHDRAW_DELAY); applies to later requests.
    function setWithdrawDelay(uint64 delay) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setWithdrawDelay(delay);
    }

    // ---------------------------------------------------------------- views

    /// @notice The epoch the current block charges into.
    function currentEpoch() public view returns (uint256) {
        return epochOf(block.timestamp);
    }

    /// @notice The epoch a block with `timestamp` charges into (0 before epochStart).
    function epochOf(uint256 timestamp) public view returns (uint256) {
        // forge-lint: disable-next-line(block-timestamp) epochs are minutes to days long
        return timestamp <= epochStart ? 0 : (timestamp - epochStart) / epochLength;
    }

    /// @notice First second after `epoch`: once a block has this timestamp, no charge can enter the epoch.
    function epochEnd(uint256 epoch) external view returns (uint256) {
        return uint256(epochStart) + (epoch + 1) * epochLength;
    }

    /// @notice The EIP-712 digest the user signs for `auth`.
    function authorizationDigest(Authorization calldata auth) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(AUTHORIZATION_TYPEHASH, auth.user, auth.modelId, auth.maxFee, auth.nonce, auth.expiry))
        );
    }

    /// @notice `user`'s pending withdrawal (readyAt 0: none).
    function pendingWithdrawal(address user) external view returns (Withdrawal memory) {
        return _withdrawals[user];
    }

    // ---------------------------------------------------------------- internal

    function _deposit(address user) private {
        if (msg.value == 0) revert ZeroValue();
        uint256 balance = balanceOf[user] + msg.value;
        balanceOf[user] = balance;
        totalDeposited += msg.value;
        emit Deposited(user, msg.sender, msg.value, balance);
    }

    function _check(Charge calldata c) private view returns (bool, Rejection) {
        if (c.recordHash == bytes32(0)) return (false, Rejection.ZeroRecordHash);
        if (chargedRecord[c.auth.user][c.auth.nonce] != bytes32(0)) return (false, Rejection.NonceSpent);
        if (c.fee > c.auth.maxFee) return (false, Rejection.FeeAboveMax);
        // forge-lint: disable-next-line(block-timestamp) expiries are minutes long
        if (block.timestamp > c.auth.expiry) return (false, Rejection.Expired);
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(authorizationDigest(c.auth), c.signature);
        if (err != ECDSA.RecoverError.NoError || signer != c.auth.user) return (false, Rejection.BadSignature);
        if (balanceOf[c.auth.user] < c.fee) return (false, Rejection.InsufficientBalance);
        return (true, Rejection.BadSignature);
    }

    function _setWithdrawDelay(uint64 delay) private {
        if (delay > MAX_WITHDRAW_DELAY) revert DelayTooLong(delay);
        withdrawDelay = delay;
        emit WithdrawDelaySet(delay);
    }
}
