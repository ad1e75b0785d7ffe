// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title FeeVault
/// @notice Where an L2 fee stream collects, as OP Stack's fee vaults: the same code sits at SequencerFeeVault
/// (0x4200000000000000000000000000000000000011, the block coinbase: priority fees), BaseFeeVault
/// (0x4200000000000000000000000000000000000019: base fees, which the rollup keeps instead of burning) and L1FeeVault
/// (0x420000000000000000000000000000000000001A: L1 data fees). Anyone may trigger a withdrawal of the whole balance to
/// the recipient once it reaches the minimum; both are set in genesis storage (slots 0 and 1), since predeploys have
/// no constructor. Withdrawals go to the recipient on L2 (OP's WithdrawalNetwork.L2). Our own implementation.
contract FeeVault {
    /// @notice The vault's balance is below the minimum withdrawal amount.
    error BelowMinimum(uint256 balance, uint256 minimum);
    /// @notice The recipient refused the transfer.
    error TransferFailed();

    /// @notice A withdrawal of `value` to `to`, triggered by `from` (OP Stack's event).
    event Withdrawal(uint256 value, address to, address from);

    address private _recipient; // slot 0 (genesis)
    uint256 private _minWithdrawalAmount; // slot 1 (genesis)
    /// @notice Total amount withdrawn so far.
    uint256 public totalProcessed; // slot 2

    /// @notice Accepts fees (block rewards arrive without a call; this is for plain transfers).
    receive() external payable {}

    /// @notice The account withdrawals go to (OP: RECIPIENT / recipient()).
    function RECIPIENT() external view returns (address) {
        return _recipient;
    }

    /// @notice Alias of RECIPIENT() under OP's newer name.
    function recipient() external view returns (address) {
        return _recipient;
    }

    /// @notice The smallest balance that may be withdrawn (OP: MIN_WITHDRAWAL_AMOUNT).
    function MIN_WITHDRAWAL_AMOUNT() external view returns (uint256) {
        return _minWithdrawalAmount;
    }

    /// @notice 1 = L2, OP's WithdrawalNetwork enum value for "pay out on L2".
    function WITHDRAWAL_NETWORK() external pure returns (uint8) {
        return 1;
    }

    /// @notice Sends the whole balance to the recipient.
    function withdraw() external {
        uint256 value = address(this).balance;
        if (value < _minWithdrawalAmount) revert BelowMinimum(value, _minWithdrawalAmount);
        totalProcessed += value;
        address to = _recipient;
        emit Withdrawal(value, to, msg.sender);
        (bool ok,) = to.call{value: value}("");
        if (!ok) revert TransferFailed();
    }
}
