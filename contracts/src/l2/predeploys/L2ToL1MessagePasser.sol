// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {RollupHashing, RollupTypes} from "../../libraries/RollupHashing.sol";

/// @title L2ToL1MessagePasser
/// @notice The withdrawal predeploy at 0x4200000000000000000000000000000000000016 (OP Stack specs:
/// protocol/withdrawals.md). A withdrawal records its hash in `sentMessages` (storage slot 0, which the L1 portal proves
/// against the output root's message-passer storage root) and takes the OPEN sent with it; `burn` destroys what the
/// contract holds, so withdrawn OPEN leaves the L2 supply. Storage layout, events and versioned nonces are OP's, so
/// tools that build withdrawal proofs for OP chains build them for ours. Our own implementation.
contract L2ToL1MessagePasser {
    /// @notice Version of the withdrawal message encoding (in the nonce's top two bytes).
    uint16 public constant MESSAGE_VERSION = 1;

    /// @notice Withdrawal hashes recorded so far (slot 0: proven on L1 by storage proof).
    mapping(bytes32 => bool) public sentMessages;

    /// @notice Withdrawals initiated so far (slot 1, unversioned).
    uint240 internal msgNonce;

    /// @notice A withdrawal was initiated.
    event MessagePassed(
        uint256 indexed nonce,
        address indexed sender,
        address indexed target,
        uint256 value,
        uint256 gasLimit,
        bytes data,
        bytes32 withdrawalHash
    );

    /// @notice The contract's balance was burned.
    event WithdrawerBalanceBurnt(uint256 indexed amount);

    /// @notice Withdraws the attached OPEN to `msg.sender` on L1 (send to `initiateWithdrawal` with no data).
    receive() external payable {
        initiateWithdrawal(msg.sender, 100_000, "");
    }

    /// @notice Starts a withdrawal: `target` is called on L1 with `data` and at least `gasLimit` gas once the
    /// withdrawal is proven and finalized; the attached OPEN is released to `target` there.
    function initiateWithdrawal(address target, uint256 gasLimit, bytes memory data) public payable {
        uint256 nonce = messageNonce();
        bytes32 hash = RollupHashing.withdrawalHash(
            RollupTypes.WithdrawalTransaction({
                nonce: nonce, sender: msg.sender, target: target, value: msg.value, gasLimit: gasLimit, data: data
            })
        );
        sentMessages[hash] = true;
        emit MessagePassed(nonce, msg.sender, target, msg.value, gasLimit, data, hash);
        unchecked {
            ++msgNonce;
        }
    }

    /// @notice Destroys the OPEN held here (withdrawn value); anyone may call it.
    function burn() external {
        uint256 amount = address(this).balance;
        new Burner{value: amount}();
        emit WithdrawerBalanceBurnt(amount);
    }

    /// @notice The next withdrawal's nonce, with MESSAGE_VERSION in its top two bytes.
    function messageNonce() public view returns (uint256) {
        return RollupHashing.encodeVersionedNonce(msgNonce, MESSAGE_VERSION);
    }

    /// @notice Semantic version.
    function version() external pure returns (string memory) {
        return "1.1.0";
    }
}

/// @notice Created with the value to burn and destroyed in the same transaction: under EIP-6780 the account and its
/// balance are deleted, so the OPEN is gone from the state.
contract Burner {
    constructor() payable {
        selfdestruct(payable(address(this)));
    }
}
